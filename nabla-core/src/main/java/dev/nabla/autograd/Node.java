package dev.nabla.autograd;

/** The record of one operation in the graph: which op made a tensor, from which inputs. */
final class Node {
    private static final Tensor[] NONE = new Tensor[0];

    final Op op;
    /** The op's inputs, which its VJP reads; {@link #NONE} once a backward has freed the node. */
    Tensor[] inputs;

    Node(Op op, Tensor[] inputs) {
        this.op = op;
        this.inputs = inputs;
    }

    /**
     * Called by a backward that did not retain the graph, once it has walked the node: drops its
     * inputs, so that a tensor kept after backward (a loss held for logging) no longer holds every
     * activation of the graph that made it.
     */
    void free() { inputs = NONE; }

    /** Whether a backward has freed the node (a recorded op always has inputs, and never this array). */
    boolean freed() { return inputs == NONE; }
}
