package dev.nnet.processor.ir;

/** A network's {@code train} block, resolved: what the generated {@code trainingConfig()} returns. */
public record TrainingSpec(LossKind loss, OptimizerSpec optimizer, int batchSize, int epochs) {}
