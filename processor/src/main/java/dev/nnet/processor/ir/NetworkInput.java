package dev.nnet.processor.ir;

/**
 * One declared input of a network. Several inputs sit side by side in each sample of the flat
 * input array: {@code offset} is where this one starts within a sample.
 *
 * @param name the declared name
 * @param shape the shape of one sample of it
 * @param offset the first index within a sample of the network's flat input
 */
public record NetworkInput(String name, Shape shape, int offset) {}
