#!/usr/bin/env python3
"""PyTorch baseline for `headlight bench`: GPT-2's forward pass with full capture, timed on the same machine.

Not part of Headlight (nothing in the product, the tests or CI runs it). It mirrors Hugging Face transformers'
GPT2LMHeadModel with eager attention, output_attentions=True and output_hidden_states=True: every layer's softmax
probabilities [heads, T, T] and every residual stream [T, d] are materialised and kept, plus the final logits
[T, vocab]. transformers itself is not installable here (no PyPI), so the model is written out in plain torch ops,
the same ones transformers' eager path runs (Conv1D = addmm, matmul + scale + masked softmax, gelu_new).

Usage: python3 gpt2_forward.py MODEL_DIR [--tokens N] [--runs R] [--threads K] [--seed S]
MODEL_DIR: a GPT-2 folder with config.json and model.safetensors (e.g. from `headlight synth`).
Prints one JSON object: tokens, runs, threads, torch version, forward_ms_median / min / mean.
Needs torch and numpy (Debian: apt-get install python3-torch python3-numpy).
"""
import argparse
import json
import math
import os
import statistics
import struct
import time

import numpy as np
import torch

DTYPES = {"F32": np.float32, "F16": np.float16}


def read_safetensors(path):
    """Tensor name -> torch tensor (F32/F16 only; BF16 GPT-2 checkpoints are rare)."""
    with open(path, "rb") as f:
        header_len = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(header_len))
        data = np.memmap(path, dtype=np.uint8, mode="r", offset=8 + header_len)
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        array = np.frombuffer(data[start:end], dtype=DTYPES[info["dtype"]]).reshape(info["shape"])
        out[name.removeprefix("transformer.")] = torch.from_numpy(array.astype(np.float32))
    return out


def gelu_new(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


def forward(w, cfg, ids):
    """One pass with full capture: (logits [T, V], attentions L x [H, T, T], hidden states L+1 x [T, d])."""
    heads, layers, eps = cfg["n_head"], cfg["n_layer"], cfg.get("layer_norm_epsilon", 1e-5)
    t = ids.shape[0]
    d = w["wte.weight"].shape[1]
    hd = d // heads
    x = w["wte.weight"][ids] + w["wpe.weight"][:t]  # [T, d]
    hidden, attentions = [x], []
    causal = torch.tril(torch.ones(t, t, dtype=torch.bool))
    min_value = torch.finfo(torch.float32).min
    for layer in range(layers):
        p = f"h.{layer}."
        h = torch.nn.functional.layer_norm(x, (d,), w[p + "ln_1.weight"], w[p + "ln_1.bias"], eps)
        qkv = torch.addmm(w[p + "attn.c_attn.bias"], h, w[p + "attn.c_attn.weight"])  # [T, 3d]
        q, k, v = (part.view(t, heads, hd).transpose(0, 1) for part in qkv.split(d, dim=1))  # [H, T, hd]
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(hd)  # [H, T, T]
        scores = torch.where(causal, scores, torch.full_like(scores, min_value))
        probs = torch.softmax(scores, dim=-1)
        attentions.append(probs)
        mixed = torch.matmul(probs, v).transpose(0, 1).reshape(t, d)  # [T, d]
        x = x + torch.addmm(w[p + "attn.c_proj.bias"], mixed, w[p + "attn.c_proj.weight"])
        h = torch.nn.functional.layer_norm(x, (d,), w[p + "ln_2.weight"], w[p + "ln_2.bias"], eps)
        m = gelu_new(torch.addmm(w[p + "mlp.c_fc.bias"], h, w[p + "mlp.c_fc.weight"]))
        x = x + torch.addmm(w[p + "mlp.c_proj.bias"], m, w[p + "mlp.c_proj.weight"])
        hidden.append(x)
    x = torch.nn.functional.layer_norm(x, (d,), w["ln_f.weight"], w["ln_f.bias"], eps)
    hidden[-1] = x  # as transformers: the last hidden state is after ln_f
    logits = torch.matmul(x, w["wte.weight"].t())  # [T, V]
    return logits, attentions, hidden


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("--tokens", type=int, default=128)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    with open(os.path.join(args.model, "config.json")) as f:
        cfg = json.load(f)
    weights = read_safetensors(os.path.join(args.model, "model.safetensors"))
    ids = torch.from_numpy(np.random.default_rng(args.seed).integers(0, cfg["vocab_size"], args.tokens))
    times = []
    with torch.inference_mode():
        forward(weights, cfg, ids)  # warm-up
        for _ in range(args.runs):
            start = time.perf_counter()
            forward(weights, cfg, ids)
            times.append((time.perf_counter() - start) * 1000)
    print(json.dumps({"model": os.path.basename(os.path.normpath(args.model)), "tokens": args.tokens,
                      "runs": args.runs, "threads": args.threads, "torch": torch.__version__,
                      "forward_ms_median": round(statistics.median(times), 2), "forward_ms_min": round(min(times), 2),
                      "forward_ms_mean": round(statistics.mean(times), 2)}))


if __name__ == "__main__":
    main()
