package dev.nabla.autograd;

/** The record of one operation in the graph: which op made a tensor, from which inputs. */
final class Node {
    final Op op;
    final Tensor[] inputs;
    boolean freed;

    Node(Op op, Tensor[] inputs) {
        this.op = op;
        this.inputs = inputs;
    }
}
