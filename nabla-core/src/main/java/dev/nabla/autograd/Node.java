package dev.nabla.autograd;

/** The record of one operation in the graph: which op made a tensor, from which inputs. */
final class Node {
    private static final Tensor[] NONE = new Tensor[0];

    final Op op;
    /** The op's inputs, which its VJP reads; none once a backward has freed the node. */
    Tensor[] inputs;
    boolean freed;

    Node(Op op, Tensor[] inputs) {
        this.op = op;
        this.inputs = inputs;
    }

    /**
     * Marks the node as walked by a backward that did not retain the graph, and drops its inputs: a
     * tensor kept after backward (a loss held for logging) then no longer holds every activation of
     * the graph that made it.
     */
    void free() {
        freed = true;
        inputs = NONE;
    }
}
