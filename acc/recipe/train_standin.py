#!/usr/bin/env python3
"""Trains the kit's stand-in model: a small LLaMA-architecture language model on the shipped
public-domain corpus, stopped early at its best held-out perplexity, written in Hugging Face's
format (config.json + model.safetensors in fp16 + tokenizer) so the kit loads it exactly as it
loads LLaMa-2.

The token ids come from the kit's own tokenizer (node dist/acc/export-tokens.js writes them to
.gpu/tokens/), so training and the kit's evaluation see the same tokens.

    python3 train_standin.py --tokens ../../.gpu/tokens --out OUT_DIR [--tokenizer DIR]

The model is plain PyTorch with the math of transformers' LlamaForCausalLM (RMSNorm, rotate_half
RoPE, causal attention with optional grouped-query heads, SwiGLU, tied embeddings) and parameter
names equal to Hugging Face's, so it runs where transformers is missing; where transformers is
present, the written checkpoint is loaded back with LlamaForCausalLM and both must give the same
held-out losses. Seeds are fixed; GPU kernels can still differ in the last bits between runs.
"""

import argparse
import json
import math
import os
import shutil
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

BOS_ID = 1


# ---------------------------------------------------------------------------------------------
# Model
# ---------------------------------------------------------------------------------------------

class RMSNorm(nn.Module):
    def __init__(self, dim, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))
        self.eps = eps

    def forward(self, x):
        dtype = x.dtype
        x = x.float()
        x = x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)
        return self.weight * x.to(dtype)


def rope_cos_sin(seq_len, head_dim, theta, device):
    inv_freq = 1.0 / (theta ** (torch.arange(0, head_dim, 2, device=device).float() / head_dim))
    freqs = torch.outer(torch.arange(seq_len, device=device).float(), inv_freq)
    emb = torch.cat((freqs, freqs), dim=-1)
    return emb.cos(), emb.sin()


def rotate_half(x):
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat((-x2, x1), dim=-1)


class Attention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        d, h, kv, hd = cfg["hidden_size"], cfg["num_attention_heads"], cfg["num_key_value_heads"], cfg["head_dim"]
        self.h, self.kv, self.hd = h, kv, hd
        self.q_proj = nn.Linear(d, h * hd, bias=False)
        self.k_proj = nn.Linear(d, kv * hd, bias=False)
        self.v_proj = nn.Linear(d, kv * hd, bias=False)
        self.o_proj = nn.Linear(h * hd, d, bias=False)

    def forward(self, x, cos, sin, exact):
        b, t, _ = x.shape
        q = self.q_proj(x).view(b, t, self.h, self.hd).transpose(1, 2)
        k = self.k_proj(x).view(b, t, self.kv, self.hd).transpose(1, 2)
        v = self.v_proj(x).view(b, t, self.kv, self.hd).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        if self.kv != self.h:
            # Query head i reads key/value head i // (h / kv), as transformers' repeat_kv does.
            k = k.repeat_interleave(self.h // self.kv, dim=1)
            v = v.repeat_interleave(self.h // self.kv, dim=1)
        if hasattr(F, "scaled_dot_product_attention") and not exact:
            o = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            scores = (q @ k.transpose(-1, -2)) / math.sqrt(self.hd)
            mask = torch.ones(t, t, dtype=torch.bool, device=x.device).triu(1)
            o = scores.masked_fill(mask, float("-inf")).softmax(dim=-1) @ v
        return self.o_proj(o.transpose(1, 2).reshape(b, t, self.h * self.hd))


class MLP(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        d, i = cfg["hidden_size"], cfg["intermediate_size"]
        self.gate_proj = nn.Linear(d, i, bias=False)
        self.up_proj = nn.Linear(d, i, bias=False)
        self.down_proj = nn.Linear(i, d, bias=False)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class DecoderLayer(nn.Module):
    def __init__(self, cfg, dropout):
        super().__init__()
        self.input_layernorm = RMSNorm(cfg["hidden_size"], cfg["rms_norm_eps"])
        self.self_attn = Attention(cfg)
        self.post_attention_layernorm = RMSNorm(cfg["hidden_size"], cfg["rms_norm_eps"])
        self.mlp = MLP(cfg)
        # Regularisation while training only; at evaluation this is the plain LLaMA layer.
        self.drop = nn.Dropout(dropout)

    def forward(self, x, cos, sin, exact):
        x = x + self.drop(self.self_attn(self.input_layernorm(x), cos, sin, exact))
        return x + self.drop(self.mlp(self.post_attention_layernorm(x)))


class Body(nn.Module):
    def __init__(self, cfg, dropout):
        super().__init__()
        self.embed_tokens = nn.Embedding(cfg["vocab_size"], cfg["hidden_size"])
        self.layers = nn.ModuleList([DecoderLayer(cfg, dropout) for _ in range(cfg["num_hidden_layers"])])
        self.norm = RMSNorm(cfg["hidden_size"], cfg["rms_norm_eps"])


class StandIn(nn.Module):
    """state_dict() keys are Hugging Face's (model.embed_tokens.weight, ...); lm_head is tied."""

    def __init__(self, cfg, dropout=0.0):
        super().__init__()
        assert cfg["tie_word_embeddings"], "the stand-in ties lm_head to the embeddings"
        self.cfg = cfg
        self.model = Body(cfg, dropout)

    def forward(self, ids, exact=False):
        cos, sin = rope_cos_sin(ids.shape[1], self.cfg["head_dim"], self.cfg["rope_theta"], ids.device)
        x = self.model.embed_tokens(ids)
        for layer in self.model.layers:
            x = layer(x, cos, sin, exact)
        return F.linear(self.model.norm(x), self.model.embed_tokens.weight)


def init_weights(model, n_layers):
    for name, p in model.named_parameters():
        if p.dim() == 2:
            std = 0.02
            # Residual-branch outputs scaled down with depth (GPT-2's habit), for stable early steps.
            if name.endswith("o_proj.weight") or name.endswith("down_proj.weight"):
                std = 0.02 / math.sqrt(2 * n_layers)
            nn.init.normal_(p, mean=0.0, std=std)


# ---------------------------------------------------------------------------------------------
# Data and evaluation
# ---------------------------------------------------------------------------------------------

def load_tokens(path):
    ids = np.fromfile(path, dtype="<u2").astype(np.int64)
    if ids.size == 0:
        raise SystemExit(f"{path}: no tokens")
    return torch.from_numpy(ids)


def windows(tokens, seq_len, max_windows=None):
    """Consecutive non-overlapping windows from the start, as the kit's tokenWindows() cuts them."""
    n = tokens.numel() // seq_len
    if max_windows is not None:
        n = min(n, max_windows)
    return tokens[: n * seq_len].view(n, seq_len)


@torch.no_grad()
def window_losses(model, wins, device, batch, exact=False, autocast=False):
    """Mean next-token cross-entropy (nats) of each window."""
    model.eval()
    out = []
    for i in range(0, wins.shape[0], batch):
        x = wins[i : i + batch].to(device)
        with torch.autocast(device_type=device.type, dtype=torch.bfloat16, enabled=autocast):
            logits = model(x, exact=exact)
        loss = F.cross_entropy(logits[:, :-1].float().reshape(-1, logits.shape[-1]), x[:, 1:].reshape(-1), reduction="none")
        out.append(loss.view(x.shape[0], -1).mean(dim=1).double().cpu())
    return torch.cat(out)


def ppl_summary(losses):
    return {
        "windows": int(losses.numel()),
        "mean_loss": float(losses.mean()),
        "perplexity_of_mean_loss": float(losses.mean().exp()),
        "mean_window_perplexity": float(losses.exp().mean()),
    }


def unigram_perplexity(train, held, vocab, add_k=1.0):
    """Add-one (Laplace) unigram over the whole vocabulary, as acc/unigram-baseline.ts computes it."""
    counts = np.bincount(train.numpy(), minlength=vocab).astype(np.float64)
    p = (counts + add_k) / (train.numel() + add_k * vocab)
    return float(np.exp(-np.log(p[held.numpy()]).mean()))


# ---------------------------------------------------------------------------------------------
# Writing the checkpoint
# ---------------------------------------------------------------------------------------------

def hf_config(cfg):
    return {
        "architectures": ["LlamaForCausalLM"],
        "model_type": "llama",
        "hidden_act": "silu",
        "hidden_size": cfg["hidden_size"],
        "intermediate_size": cfg["intermediate_size"],
        "num_hidden_layers": cfg["num_hidden_layers"],
        "num_attention_heads": cfg["num_attention_heads"],
        "num_key_value_heads": cfg["num_key_value_heads"],
        "head_dim": cfg["head_dim"],
        "rms_norm_eps": cfg["rms_norm_eps"],
        "rope_theta": cfg["rope_theta"],
        "rope_scaling": None,
        "vocab_size": cfg["vocab_size"],
        "tie_word_embeddings": True,
        "max_position_embeddings": cfg["max_position_embeddings"],
        "attention_bias": False,
        "mlp_bias": False,
        "attention_dropout": 0.0,
        "initializer_range": 0.02,
        "bos_token_id": 1,
        "eos_token_id": 2,
        "torch_dtype": "float16",
    }


def write_safetensors(path, tensors):
    """The safetensors layout (8-byte header length, JSON header, raw little-endian data)."""
    header, offset, blobs = {"__metadata__": {"format": "pt"}}, 0, []
    for name, t in tensors.items():
        t = t.detach().contiguous().cpu()
        dtype = {torch.float16: "F16", torch.float32: "F32", torch.bfloat16: "BF16"}[t.dtype]
        raw = t.view(torch.int16).numpy().tobytes() if t.dtype == torch.bfloat16 else t.numpy().tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
        blobs.append(raw)
    h = json.dumps(header).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for raw in blobs:
            f.write(raw)


def save_checkpoint(model, out_dir, tokenizer_dir):
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "config.json"), "w") as f:
        json.dump(hf_config(model.cfg), f, indent=2)
        f.write("\n")
    tensors = {k: v.half() for k, v in model.state_dict().items()}
    try:
        from safetensors.torch import save_file
        save_file(tensors, os.path.join(out_dir, "model.safetensors"), metadata={"format": "pt"})
    except ImportError:
        write_safetensors(os.path.join(out_dir, "model.safetensors"), tensors)
    for name in ("tokenizer.json", "tokenizer_config.json"):
        src = os.path.join(tokenizer_dir, name)
        if os.path.exists(src):
            shutil.copyfile(src, os.path.join(out_dir, name))


def hf_check(out_dir, wins, device):
    """Per-window losses of the written checkpoint as transformers' LlamaForCausalLM computes them."""
    try:
        from transformers import LlamaForCausalLM
    except Exception as e:  # noqa: BLE001 - any import failure means "not available here"
        return {"available": False, "reason": f"{type(e).__name__}: {e}"}
    try:
        hf = LlamaForCausalLM.from_pretrained(out_dir, torch_dtype=torch.float32, attn_implementation="eager").to(device).eval()
        out = []
        with torch.no_grad():
            for w in wins:
                x = w.unsqueeze(0).to(device)
                logits = hf(input_ids=x).logits.float()
                out.append(float(F.cross_entropy(logits[0, :-1], x[0, 1:])))
        return {"available": True, "transformers_losses": out}
    except Exception as e:  # noqa: BLE001 - reported, never fatal: the checkpoint is already written
        return {"available": False, "reason": f"{type(e).__name__}: {e}"}


# ---------------------------------------------------------------------------------------------
# Training
# ---------------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tokens", required=True, help="folder with training.u16, heldout.u16, meta.json")
    ap.add_argument("--out", required=True)
    ap.add_argument("--tokenizer", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "data", "tokenizers", "llama2"))
    ap.add_argument("--hidden", type=int, default=192)
    ap.add_argument("--intermediate", type=int, default=512)
    ap.add_argument("--layers", type=int, default=6)
    ap.add_argument("--heads", type=int, default=6)
    ap.add_argument("--kv-heads", type=int, default=6)
    ap.add_argument("--train-seq-len", type=int, default=2048, help="context trained on; the kit evaluates up to this")
    ap.add_argument("--batch", type=int, default=16, help="windows per step")
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--weight-decay", type=float, default=0.1)
    ap.add_argument("--dropout", type=float, default=0.1)
    ap.add_argument("--warmup", type=int, default=100)
    ap.add_argument("--max-steps", type=int, default=1200)
    ap.add_argument("--eval-every", type=int, default=40)
    ap.add_argument("--eval-seq-len", type=int, default=256, help="held-out windows used for early stopping")
    ap.add_argument("--eval-max-windows", type=int, default=None, help="limit held-out windows (quick CPU runs only)")
    ap.add_argument("--patience", type=int, default=5, help="evaluations without improvement before stopping")
    ap.add_argument("--max-seconds", type=float, default=120.0)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--check-windows", type=int, default=4)
    ap.add_argument("--check-seq-len", type=int, default=64)
    args = ap.parse_args()

    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    on_gpu = device.type == "cuda"
    with open(os.path.join(args.tokens, "meta.json")) as f:
        meta = json.load(f)
    train = load_tokens(os.path.join(args.tokens, "training.u16"))
    held = load_tokens(os.path.join(args.tokens, "heldout.u16"))
    assert train.numel() == meta["trainingTokens"] and held.numel() == meta["heldOutTokens"], "token files do not match meta.json"
    vocab = meta["vocabSize"]
    assert int(train.max()) < vocab and int(held.max()) < vocab

    cfg = {
        "hidden_size": args.hidden,
        "intermediate_size": args.intermediate,
        "num_hidden_layers": args.layers,
        "num_attention_heads": args.heads,
        "num_key_value_heads": args.kv_heads,
        "head_dim": args.hidden // args.heads,
        "rms_norm_eps": 1e-5,
        "rope_theta": 10000.0,
        "vocab_size": vocab,
        "tie_word_embeddings": True,
        "max_position_embeddings": args.train_seq_len,
    }
    model = StandIn(cfg, dropout=args.dropout).to(device)
    init_weights(model, args.layers)
    n_params = sum(p.numel() for p in model.parameters())
    print(f"device {device} ({torch.cuda.get_device_name() if on_gpu else 'cpu'}), torch {torch.__version__}, params {n_params:,}", flush=True)

    decay = [p for p in model.parameters() if p.dim() == 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": args.weight_decay}, {"params": no_decay, "weight_decay": 0.0}], lr=args.lr, betas=(0.9, 0.95))

    def lr_at(step):
        if step < args.warmup:
            return args.lr * (step + 1) / args.warmup
        progress = min(1.0, (step - args.warmup) / max(1, args.max_steps - args.warmup))
        return args.lr * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress)))

    eval_wins = windows(held, args.eval_seq_len, args.eval_max_windows)
    gen = torch.Generator().manual_seed(args.seed)
    max_start = train.numel() - args.train_seq_len - 1
    history, best, best_state, best_step, since_best = [], float("inf"), None, 0, 0
    t0 = time.time()
    step = 0
    tokens_seen = 0
    while step < args.max_steps:
        model.train()
        starts = torch.randint(0, max_start + 1, (args.batch,), generator=gen)
        batch = torch.stack([train[s : s + args.train_seq_len + 1] for s in starts.tolist()]).to(device)
        for g in opt.param_groups:
            g["lr"] = lr_at(step)
        with torch.autocast(device_type=device.type, dtype=torch.bfloat16, enabled=on_gpu):
            logits = model(batch[:, :-1])
        loss = F.cross_entropy(logits.float().reshape(-1, vocab), batch[:, 1:].reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        tokens_seen += batch[:, 1:].numel()
        if step % args.eval_every == 0 or step == args.max_steps:
            held_loss = float(window_losses(model, eval_wins, device, 64, autocast=on_gpu).mean())
            elapsed = time.time() - t0
            history.append({"step": step, "epochs": tokens_seen / train.numel(), "seconds": round(elapsed, 1), "train_loss": loss.item(), "held_out_perplexity": math.exp(held_loss)})
            print(json.dumps(history[-1]), flush=True)
            if held_loss < best:
                best, since_best = held_loss, 0
                best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
                best_step = step
            else:
                since_best += 1
            if since_best >= args.patience or elapsed > args.max_seconds:
                break
    train_seconds = time.time() - t0

    # Everything reported is measured on the weights as shipped: fp16, evaluated in float32.
    model.load_state_dict({k: v.half().float() for k, v in best_state.items()})
    if on_gpu:
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
    save_checkpoint(model, args.out, args.tokenizer)
    held_eval = {}
    for seq_len in sorted({256, args.train_seq_len}):
        held_eval[str(seq_len)] = ppl_summary(window_losses(model, windows(held, seq_len, args.eval_max_windows), device, 16))
    check = windows(held, args.check_seq_len, args.check_windows)
    check_losses = window_losses(model, check, device, args.check_windows, exact=True)
    hf = hf_check(args.out, check, device)
    if hf.get("available"):
        hf["max_abs_diff"] = max(abs(a - b) for a, b in zip(hf["transformers_losses"], check_losses.tolist()))

    report = {
        "recipe": "acc/recipe/train_standin.py " + " ".join(sys.argv[1:]),
        "args": vars(args),
        "device": torch.cuda.get_device_name() if on_gpu else "cpu",
        "torch": torch.__version__,
        "config": cfg,
        "parameters": n_params,
        "training_tokens": train.numel(),
        "held_out_tokens": held.numel(),
        "unigram_perplexity_add_one": unigram_perplexity(train, held, vocab),
        "best_step": best_step,
        "steps_run": step,
        "train_seconds": round(train_seconds, 1),
        "held_out": held_eval,
        "history": history,
        "transformers_check": hf,
    }
    with open(os.path.join(args.out, "training_report.json"), "w") as f:
        json.dump(report, f, indent=2)
        f.write("\n")
    with open(os.path.join(args.out, "reference_losses.json"), "w") as f:
        json.dump({
            "description": "float32 per-window mean next-token loss (nats) of the fp16 checkpoint, as computed by the recipe",
            "split": "heldOut",
            "seq_len": args.check_seq_len,
            "windows": [w.tolist() for w in check],
            "losses": check_losses.tolist(),
        }, f, indent=2)
        f.write("\n")
    print(json.dumps({k: report[k] for k in ("parameters", "best_step", "steps_run", "train_seconds", "held_out", "unigram_perplexity_add_one")}, indent=2), flush=True)
    print("transformers check:", json.dumps(hf)[:500], flush=True)


if __name__ == "__main__":
    main()
