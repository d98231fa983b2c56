#!/usr/bin/python3
"""PyTorch peer of TrainSpeedBenchmark: the same cnn-dropout network, optimiser (Adam 1e-3),
loss (cross-entropy), batch size and data (Fashion-MNIST train split, pixels/255, shuffled per
epoch, last partial batch dropped). Prints one RESULT line in the Java benchmark's format.

Run with OPENBLAS_NUM_THREADS=1 (train-speed.sh does); uses torch.set_num_threads(2).
Usage: train_speed.py BATCH WARMUP BATCHES DATA_DIR [VARIANT]   (BATCHES 0 = the rest of one epoch)
VARIANT: "default" (NCHW tensors) or "channels_last" (NHWC memory format, often faster with oneDNN).
"""
import gzip
import os
import resource
import sys
import time

import numpy as np
import torch
import torch.nn as nn

PROCESS_START = time.time()  # close to interpreter start; imports follow


def load(data_dir, prefix):
    with gzip.open(os.path.join(data_dir, prefix + "-images-idx3-ubyte.gz")) as f:
        x = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 1, 28, 28)
    with gzip.open(os.path.join(data_dir, prefix + "-labels-idx1-ubyte.gz")) as f:
        y = np.frombuffer(f.read(), np.uint8, offset=8)
    return torch.from_numpy(x.copy()), torch.from_numpy(y.astype(np.int64))


def cnn_dropout():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 5 * 5, 128), nn.ReLU(),
        nn.Dropout(0.5), nn.Linear(128, 10))


def main():
    batch, warmup, batches, data_dir = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    variant = sys.argv[5] if len(sys.argv) > 5 else "default"
    channels_last = variant == "channels_last"
    torch.set_num_threads(2)
    torch.manual_seed(42)
    images, labels = load(data_dir, "train")
    total = images.shape[0] // batch
    timed = batches if batches > 0 else total - warmup
    model = cnn_dropout()
    if channels_last:
        model = model.to(memory_format=torch.channels_last)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    model.train()
    order = torch.randperm(images.shape[0])
    first_batch_done = None
    fit_start = time.time()
    timed_start = fit_start
    loss = None
    for i in range(warmup + timed):
        if i == warmup:
            timed_start = time.time()
        idx = order[i * batch:(i + 1) * batch]
        x = images[idx].float().div_(255.0)
        if channels_last:
            x = x.contiguous(memory_format=torch.channels_last)
        y = labels[idx]
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        if first_batch_done is None:
            first_batch_done = time.time()
    end = time.time()
    seconds = end - timed_start
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print("RESULT impl=pytorch-%s variant=%s model=cnn-dropout batch=%d timed_batches=%d seconds=%.2f img_per_s=%.1f "
          "first_batch_from_start_s=%.2f first_batch_from_fit_s=%.3f peak_rss_mb=%d score=%.4f threads=%d"
          % (torch.__version__, variant, batch, timed, seconds, timed * batch / seconds,
             first_batch_done - PROCESS_START, first_batch_done - fit_start, rss_mb, loss.item(),
             torch.get_num_threads()))


if __name__ == "__main__":
    main()
