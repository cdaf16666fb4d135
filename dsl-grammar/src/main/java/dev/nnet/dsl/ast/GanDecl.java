package dev.nnet.dsl.ast;

import dev.nnet.diag.SourceSpan;

/**
 * {@code gan DigitsGan(generator: Generator, discriminator: Discriminator, batch: 64)}: a GAN
 * declared in one line. The checker turns it into the network that stacks the two parts.
 *
 * @param spec the call after {@code gan}: its name is the stacking network's name, its arguments
 *     the parts and options
 * @param span the whole declaration
 */
public record GanDecl(Call spec, SourceSpan span) {
  public String name() {
    return spec.name();
  }

  public SourceSpan nameSpan() {
    return spec.nameSpan();
  }
}
