/** The autograd graph of a spec's loss in Graphviz DOT ({@link dev.nabla.explain.graph.GraphDot}). */
package dev.nabla.explain.graph;
