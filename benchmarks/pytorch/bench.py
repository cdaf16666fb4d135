#!/usr/bin/python3
"""PyTorch baseline for the nnet benchmarks: workloads W1, W2 and W3 of shared/bench/WORKLOADS.md
with the same network, data, batch sizes, measures and thread count as dev.nnet.bench.Harness.

    /usr/bin/python3 benchmarks/pytorch/bench.py --threads 1 [--runs 1] [--warmup-runs 1]
        [--data examples/data] [--workloads w1,w2,w3,w4,matmul]

benchmarks/run calls it with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset (they force OpenBLAS onto
an old core type and halve its matrix product), with OMP_NUM_THREADS and OPENBLAS_NUM_THREADS set
to --threads, because Debian's torch calls the system BLAS (libblas.so.3), whose thread count
torch.set_num_threads does not control, and with OMP_WAIT_POLICY=passive, so that torch's idle
OpenMP threads do not spin on the cores the BLAS threads need.

As in the Java harness, the process first runs the workloads --warmup-runs times (printed as
"(warm-up runs)", not used further), then --runs times. Output: "key: value" lines with the same
keys as the Java harness; "(runs)" lines list every measured run, the plain line is their median
(for matmul2048, the best). If torch cannot be imported it prints
"pytorch: unavailable (reason)" and exits with status 3.

The networks and measures, as in the Java harness (dev.nnet.bench.Harness):
  W1  784 -> Linear 128 -> ReLU -> Linear 10 (softmax + categorical cross-entropy, fused as
      CrossEntropyLoss), Glorot-uniform weights, zero biases, Adam(lr 1e-3, betas 0.9/0.999,
      eps 1e-7 as nnet's Adam), batch 32, reshuffled each epoch. A fresh network trains 5 epochs;
      the figure is epoch 2's training samples/s (epoch 1 is the warm-up), the accuracy is the test
      accuracy after epoch 5.
  W2  the W1 network after training, in inference mode, one test digit per call, softmax included:
      median microseconds per call over 10,000 calls after 20,000 warm-up calls.
  W3  the same network on the 7 full batches of 256 among the 2,000 test digits, softmax included:
      samples/s over at least 1 s after 0.5 s of warm-up.
  matmul2048: a 2048 x 2048 float32 matrix product, the best of 5 after 2 warm-ups.
  W4  1x28x28 -> conv 8@3x3 valid relu -> maxpool 2 -> conv 16@3x3 valid relu -> maxpool 2 ->
      flatten 400 -> dense 64 relu -> dense 10 (softmax in the loss); Glorot-uniform weights,
      zero biases; Adam 1e-3, batch 32, shuffled; a fresh network per run: epoch 2's training
      samples/s and the test accuracy after 3 epochs.
  W5  sunspots.csv, windows of 24 years predicting the next, the last 20 % of windows as test,
      min-max scaled with the years the training windows cover (as dev.nnet.bench.SunspotsWorkload).
      LSTM(1 -> 32, batch_first) -> last state -> Linear(32, 1); Glorot-uniform input weights,
      orthogonal recurrent weights, zero biases with the forget gate's input bias at 1 (nnet's
      Keras-style defaults); MSE; Adam(lr 1e-3, eps 1e-7); batch 16, reshuffled each epoch. A fresh
      network trains 50 epochs; the figure is the sequences of epochs 2-50 over their time, the MSE
      is on the test windows after epoch 50.
"""

import argparse
import gzip
import os
import struct
import sys
import time

TRAIN = 8_000
SEED = 42
EPOCHS = 5
BATCH = 32
BATCH_INFER = 256
WARMUP_CALLS = 20_000
MEASURED_CALLS = 10_000


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=os.path.join(here, "..", "..", "examples", "data"))
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--warmup-runs", type=int, default=1)
    parser.add_argument("--workloads", default="w1,w2,w3,w4,w5,matmul")
    args = parser.parse_args()
    workloads = set(args.workloads.lower().split(","))

    try:
        import numpy  # noqa: F401  (torch.from_numpy below)
        import torch
    except Exception as e:  # ImportError, or a broken install
        print(f"pytorch: unavailable ({type(e).__name__}: {e})", flush=True)
        sys.exit(3)

    torch.set_num_threads(args.threads)
    print(f"pytorch version: {torch.__version__}")
    print(f"pytorch threads: {torch.get_num_threads()}")
    print("pytorch threads env: " + " ".join(
        f"{k}={os.environ.get(k, 'unset')}"
        for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "OMP_WAIT_POLICY")))
    print("pytorch openblas env: "
          + " ".join(f"{k}={os.environ[k] if k in os.environ else 'unset'}"
                     for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")), flush=True)

    x, y = load_mnist(args.data)
    x_train, y_train = x[:TRAIN].contiguous(), y[:TRAIN].contiguous()
    x_test, y_test = x[TRAIN:].contiguous(), y[TRAIN:].contiguous()

    results = {}
    cold = {}
    model = None
    for run in range(-args.warmup_runs, args.runs):
        # As in the Java harness: the first runs of a fresh process are printed, not used further.
        into = cold if run < 0 else results
        if "w1" in workloads:
            speed, accuracy, model = w1(torch, x_train, y_train, x_test, y_test)
            into.setdefault("w1 train samples/s", []).append(speed)
            into.setdefault("w1 test accuracy", []).append(accuracy)
        if model is None:
            model = new_model(torch)
        if "w2" in workloads:
            into.setdefault("w2 predict us", []).append(w2(torch, model, x_test))
        if "w3" in workloads:
            into.setdefault("w3 predict256 samples/s", []).append(w3(torch, model, x_test))
        if "w4" in workloads:
            speed, accuracy = w4(torch, x_train, y_train, x_test, y_test)
            into.setdefault("w4 train samples/s", []).append(speed)
            into.setdefault("w4 test accuracy", []).append(accuracy)
        if "w5" in workloads:
            speed, mse = w5(torch, args.data)
            into.setdefault("w5 train sequences/s", []).append(speed)
            into.setdefault("w5 test mse", []).append(mse)
        if "matmul" in workloads and run >= 0:
            into.setdefault("matmul2048 gflop/s", []).append(matmul(torch))
    for key, values in cold.items():
        print(f"{key} (warm-up runs): " + " ".join(fmt(v) for v in values))
    for key, values in results.items():
        print(f"{key} (runs): " + " ".join(fmt(v) for v in values))
        value = max(values) if key.startswith("matmul") else median(values)
        print(f"{key}: {fmt(value)}", flush=True)


def load_mnist(directory):
    import numpy as np
    import torch

    def idx(path):
        with gzip.open(path, "rb") as f:
            data = f.read()
        zero, dtype, rank = struct.unpack(">HBB", data[:4])
        if zero != 0 or dtype != 0x08:
            raise ValueError(f"{path}: not an unsigned-byte IDX file")
        shape = struct.unpack(">" + "I" * rank, data[4:4 + 4 * rank])
        return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(shape)

    images = idx(os.path.join(directory, "mnist10k-images-idx3-ubyte.gz"))
    labels = idx(os.path.join(directory, "mnist10k-labels-idx1-ubyte.gz"))
    # pixel / 255 in float32, as dev.nnet.runtime.data.Mnist does.
    x = torch.from_numpy(images.reshape(len(images), -1).astype(np.float32) / np.float32(255))
    y = torch.from_numpy(labels.astype(np.int64))
    return x, y


def new_model(torch):
    nn = torch.nn
    model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    for layer in (model[0], model[2]):
        nn.init.xavier_uniform_(layer.weight)  # Glorot uniform
        nn.init.zeros_(layer.bias)
    return model


def w1(torch, x_train, y_train, x_test, y_test):
    """Fresh network, 5 epochs; epoch 2's training samples/s and the test accuracy after epoch 5."""
    torch.manual_seed(SEED)
    model = new_model(torch)
    model.train()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-7)
    loss_fn = torch.nn.CrossEntropyLoss()  # softmax + categorical cross-entropy, batch mean
    generator = torch.Generator().manual_seed(SEED)
    size = len(x_train)
    speeds = []
    for epoch in range(EPOCHS):
        started = time.perf_counter()
        order = torch.randperm(size, generator=generator)
        for start in range(0, size, BATCH):
            batch = order[start:start + BATCH]
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(x_train[batch]), y_train[batch])
            loss.backward()
            optimizer.step()
        speeds.append(size / (time.perf_counter() - started))
    model.eval()
    with torch.inference_mode():
        accuracy = (model(x_test).argmax(1) == y_test).float().mean().item()
    return speeds[1], accuracy, model


def new_cnn(torch):
    nn = torch.nn
    model = nn.Sequential(
        nn.Conv2d(1, 8, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(400, 64), nn.ReLU(), nn.Linear(64, 10))
    for layer in model:
        if isinstance(layer, (nn.Conv2d, nn.Linear)):
            nn.init.xavier_uniform_(layer.weight)  # Glorot uniform, fans as Keras counts them
            nn.init.zeros_(layer.bias)
    return model


def w4(torch, x_train, y_train, x_test, y_test):
    """Fresh CNN, 3 epochs; epoch 2's training samples/s and the test accuracy after epoch 3."""
    torch.manual_seed(SEED)
    model = new_cnn(torch)
    model.train()
    images = x_train.view(-1, 1, 28, 28)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-7)
    loss_fn = torch.nn.CrossEntropyLoss()
    generator = torch.Generator().manual_seed(SEED)
    size = len(images)
    speeds = []
    for epoch in range(3):
        started = time.perf_counter()
        order = torch.randperm(size, generator=generator)
        for start in range(0, size, BATCH):
            batch = order[start:start + BATCH]
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(images[batch]), y_train[batch])
            loss.backward()
            optimizer.step()
        speeds.append(size / (time.perf_counter() - started))
    model.eval()
    with torch.inference_mode():
        accuracy = (model(x_test.view(-1, 1, 28, 28)).argmax(1) == y_test).float().mean().item()
    return speeds[1], accuracy


def w2(torch, model, x_test):
    """Median microseconds per single-sample prediction."""
    model.eval()
    n = len(x_test)
    samples = [x_test[i:i + 1] for i in range(n)]
    softmax = torch.softmax
    clock = time.perf_counter_ns
    times = [0] * MEASURED_CALLS
    with torch.inference_mode():
        for i in range(WARMUP_CALLS):
            softmax(model(samples[i % n]), 1)
        for i in range(MEASURED_CALLS):
            x = samples[i % n]
            t = clock()
            softmax(model(x), 1)
            times[i] = clock() - t
    return median(times) / 1e3


def w3(torch, model, x_test):
    """Samples/s predicting batches of 256."""
    model.eval()
    batches = [x_test[k * BATCH_INFER:(k + 1) * BATCH_INFER]
               for k in range(len(x_test) // BATCH_INFER)]
    per_pass = BATCH_INFER * len(batches)
    softmax = torch.softmax
    with torch.inference_mode():
        def run_for(seconds):
            passes = 0
            started = time.perf_counter()
            while True:
                for b in batches:
                    softmax(model(b), 1)
                passes += 1
                elapsed = time.perf_counter() - started
                if passes >= 3 and elapsed >= seconds:
                    return passes * per_pass / elapsed
        run_for(0.5)
        return run_for(1.0)


W5_WINDOW = 24
W5_EPOCHS = 50
W5_BATCH = 16


def load_sunspots(directory):
    """The SUNACTIVITY column of sunspots.csv, in time order."""
    values = []
    with open(os.path.join(directory, "sunspots.csv")) as f:
        next(f)  # "YEAR","SUNACTIVITY"
        for line in f:
            if line.strip():
                values.append(float(line.split(",")[1]))
    return values


def w5(torch, directory):
    """Fresh LSTM, 50 epochs; training sequences/s over epochs 2-50, test MSE after epoch 50."""
    nn = torch.nn
    values = load_sunspots(directory)
    windows = len(values) - W5_WINDOW
    train_windows = windows - int(windows * 0.2 + 0.5)
    fitted = values[:train_windows + W5_WINDOW]
    low, span = min(fitted), max(fitted) - min(fitted)
    scaled = torch.tensor([(v - low) / span for v in values], dtype=torch.float32)
    x = torch.stack([scaled[k:k + W5_WINDOW] for k in range(windows)]).unsqueeze(2)
    y = scaled[W5_WINDOW:].unsqueeze(1)
    x_train, y_train = x[:train_windows].contiguous(), y[:train_windows].contiguous()
    x_test, y_test = x[train_windows:].contiguous(), y[train_windows:].contiguous()

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm = nn.LSTM(1, 32, batch_first=True)
            self.dense = nn.Linear(32, 1)

        def forward(self, inputs):
            _, (h, _) = self.lstm(inputs)
            return self.dense(h[-1])

    torch.manual_seed(SEED)
    model = Net()
    nn.init.xavier_uniform_(model.lstm.weight_ih_l0)
    nn.init.orthogonal_(model.lstm.weight_hh_l0)
    nn.init.zeros_(model.lstm.bias_ih_l0)
    nn.init.zeros_(model.lstm.bias_hh_l0)
    with torch.no_grad():
        model.lstm.bias_ih_l0[32:64] = 1.0  # gate order i, f, g, o: the forget gate starts open
    nn.init.xavier_uniform_(model.dense.weight)
    nn.init.zeros_(model.dense.bias)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-7)
    loss_fn = nn.MSELoss()
    generator = torch.Generator().manual_seed(SEED)
    model.train()
    timed = 0.0
    for epoch in range(W5_EPOCHS):
        started = time.perf_counter()
        order = torch.randperm(train_windows, generator=generator)
        for start in range(0, train_windows, W5_BATCH):
            batch = order[start:start + W5_BATCH]
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(x_train[batch]), y_train[batch])
            loss.backward()
            optimizer.step()
        if epoch > 0:
            timed += time.perf_counter() - started
    model.eval()
    with torch.inference_mode():
        mse = loss_fn(model(x_test), y_test).item()
    return train_windows * (W5_EPOCHS - 1) / timed, mse


def matmul(torch):
    """GFLOP/s of a 2048 x 2048 float32 matrix product (2 n^3 FLOPs), the best of 5."""
    n = 2048
    g = torch.Generator().manual_seed(SEED)
    a = torch.randn(n, n, generator=g)
    b = torch.randn(n, n, generator=g)
    for _ in range(2):
        torch.mm(a, b)
    best = 0.0
    for _ in range(5):
        started = time.perf_counter()
        torch.mm(a, b)
        best = max(best, 2 * n ** 3 / (time.perf_counter() - started) / 1e9)
    return best


def median(values):
    s = sorted(values)
    m = len(s) // 2
    return s[m] if len(s) % 2 else (s[m - 1] + s[m]) / 2


def fmt(v):
    return f"{v:.4f}" if abs(v) < 1 else f"{v:.1f}" if abs(v) < 1000 else f"{v:.0f}"


if __name__ == "__main__":
    main()
