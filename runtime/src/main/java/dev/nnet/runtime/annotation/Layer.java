package dev.nnet.runtime.annotation;

/**
 * The return type of the methods of a {@link Network @Network} type: a value in the network, an
 * input or a layer's result. It is never implemented; the methods only name the members.
 */
public interface Layer {}
