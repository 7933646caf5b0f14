#!/usr/bin/env python3
"""Builds tokenizer.json variants that exercise the components the model fixtures do not, and records what the
tokenizers library (Rust, through its Node binding `tokenizers` from npm) gives for a set of texts.

    python3 make_variants.py FIXTURES_DIR ORACLE_JS

FIXTURES_DIR is src/test/resources/fixtures/tokenizers; ORACLE_JS encodes JSON-lines texts with the real library
(see oracle.js beside this file; it needs `npm install tokenizers`). Writes <variant>/tokenizer.json and
<variant>/cases.json here. The expected values in cases.json come only from the library, never by hand.
"""
import json, os, random, subprocess, sys, collections

fixtures, oracle = sys.argv[1], sys.argv[2]
here = os.path.dirname(os.path.abspath(__file__))

def load(kind):
    return json.load(open(os.path.join(fixtures, kind, 'tokenizer.json'), encoding='utf-8'))

def tok(model, normalizer=None, pre=None, post=None, decoder=None, added=()):
    return {"version": "1.0", "truncation": None, "padding": None, "added_tokens": list(added),
            "normalizer": normalizer, "pre_tokenizer": pre, "post_processor": post, "decoder": decoder, "model": model}

def added(id_, content, special=True, lstrip=False, rstrip=False, single_word=False, normalized=None):
    return {"id": id_, "content": content, "single_word": single_word, "lstrip": lstrip, "rstrip": rstrip,
            "normalized": (not special) if normalized is None else normalized, "special": special}

def train_bpe(corpus, merges_wanted, prefix=None, suffix=None):
    """A tiny BPE trainer: enough to get a consistent vocab and merge list with prefix / suffix symbols."""
    words = collections.Counter(w for line in corpus for w in line.split())
    def symbols(w):
        out = []
        for i, ch in enumerate(w):
            s = ch if i == 0 or prefix is None else prefix + ch
            if i == len(w) - 1 and suffix is not None:
                s = s + suffix
            out.append(s)
        return out
    seqs = {w: symbols(w) for w in words}
    vocab = {}
    for w in seqs:
        for s in seqs[w]:
            vocab.setdefault(s, len(vocab))
    merges = []
    plen = len(prefix) if prefix else 0
    for _ in range(merges_wanted):
        pairs = collections.Counter()
        for w, c in words.items():
            s = seqs[w]
            for a, b in zip(s, s[1:]):
                pairs[(a, b)] += c
        if not pairs:
            break
        (a, b), _ = max(pairs.items(), key=lambda kv: (kv[1], kv[0]))
        new = a + b[plen:] if prefix and b.startswith(prefix) else a + b
        merges.append([a, b])
        vocab.setdefault(new, len(vocab))
        for w in seqs:
            s, out, i = seqs[w], [], 0
            while i < len(s):
                if i + 1 < len(s) and s[i] == a and s[i + 1] == b:
                    out.append(new); i += 2
                else:
                    out.append(s[i]); i += 1
            seqs[w] = out
    return vocab, merges

CORPUS = ["the cat sat on the mat", "the quick brown fox jumps over the lazy dog", "hello world hello there",
          "tokenizers split words into pieces", "attention heads specialise during training",
          "numbers like 123 and 2026 appear", "don't you'll I'm we've they'd it's", "café naïve résumé"]

variants = {}

# 1. Unigram (SentencePiece-style) with Metaspace, NFKC, byte fallback, BOS/EOS template.
spm = load('spm')
pieces = sorted(spm['model']['vocab'].items(), key=lambda kv: kv[1])
uni_vocab = []
for p, i in pieces:
    score = 0.0 if p in ('<unk>', '<s>', '</s>') else -(1.0 + 0.37 * (i % 17) + 3.0 / (1 + len(p)))
    uni_vocab.append([p, score])
uni_added = [added(0, '<unk>'), added(1, '<s>'), added(2, '</s>')]
template = {"type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": "</s>", "type_id": 0}}],
            "pair": [{"Sequence": {"id": "A", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}}],
            "special_tokens": {"<s>": {"id": "<s>", "ids": [1], "tokens": ["<s>"]},
                               "</s>": {"id": "</s>", "ids": [2], "tokens": ["</s>"]}}}
variants['unigram_metaspace'] = tok(
    {"type": "Unigram", "unk_id": 0, "vocab": uni_vocab, "byte_fallback": True},
    normalizer={"type": "Sequence", "normalizers": [{"type": "NFKC"},
                {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "}]},
    pre={"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": True},
    post=template,
    decoder={"type": "Sequence", "decoders": [{"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": True},
                                              {"type": "ByteFallback"}, {"type": "Fuse"}]},
    added=uni_added)

# 2. Unigram without byte fallback: unknown characters fuse into one unk; Metaspace prepend "first", no split.
variants['unigram_unk'] = tok(
    {"type": "Unigram", "unk_id": 0, "vocab": [v for v in uni_vocab if not v[0].startswith('<0x')], "byte_fallback": False},
    normalizer={"type": "Sequence", "normalizers": [{"type": "Strip", "strip_left": True, "strip_right": True},
                                                    {"type": "Lowercase"}]},
    pre={"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "first", "split": False},
    post=None,
    decoder={"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "first", "split": False},
    added=uni_added)

# 3. WordPiece with a hand-made normalizer chain and pre-tokenizer sequence, BertProcessing.
wp = load('wordpiece')
variants['wordpiece_sequence'] = tok(
    dict(wp['model'], max_input_chars_per_word=12),
    normalizer={"type": "Sequence", "normalizers": [{"type": "NFD"}, {"type": "StripAccents"}, {"type": "Lowercase"}]},
    pre={"type": "Sequence", "pretokenizers": [{"type": "WhitespaceSplit"}, {"type": "Punctuation", "behavior": "Isolated"},
                                               {"type": "Digits", "individual_digits": True}]},
    post={"type": "BertProcessing", "sep": ["[SEP]", 3], "cls": ["[CLS]", 2]},
    decoder={"type": "WordPiece", "prefix": "##", "cleanup": True},
    added=wp['added_tokens'])

# 4. BERT normalizer keeping case and accents, Whitespace pre-tokenizer, no cleanup.
variants['wordpiece_cased'] = tok(
    wp['model'],
    normalizer={"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True, "strip_accents": False, "lowercase": False},
    pre={"type": "Whitespace"},
    post={"type": "TemplateProcessing",
          "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
          "pair": [{"Sequence": {"id": "A", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}}],
          "special_tokens": {"[CLS]": {"id": "[CLS]", "ids": [2], "tokens": ["[CLS]"]},
                             "[SEP]": {"id": "[SEP]", "ids": [3], "tokens": ["[SEP]"]}}},
    decoder={"type": "WordPiece", "prefix": "##", "cleanup": False},
    added=wp['added_tokens'])

# 5. Byte-level BPE with added tokens using lstrip / rstrip / single_word / normalized, Roberta processing.
bl = load('bytelevel')
bl_model = bl['model']
n = max(bl_model['vocab'].values()) + 1
bl_added = [added(0, '<|endoftext|>'),
            added(n, '<mask>', special=True, lstrip=True),
            added(n + 1, '[END]', special=True, rstrip=True),
            added(n + 2, 'cat', special=False, single_word=True),
            added(n + 3, 'Hello', special=False, normalized=True),
            added(n + 4, '<pad>', special=True)]
variants['bytelevel_added'] = tok(
    bl_model, normalizer={"type": "NFKC"},
    pre={"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
    post={"type": "RobertaProcessing", "sep": ["<|endoftext|>", 0], "cls": ["<pad>", n + 4], "trim_offsets": True, "add_prefix_space": True},
    decoder={"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
    added=bl_added)

# 6. The o200k (GPT-4o style) regex with letter-case classes, digits in threes, then ByteLevel; ignore_merges.
O200K = ("[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?"
         "|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?"
         "|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+")
variants['bytelevel_o200k'] = tok(
    dict(bl_model, ignore_merges=True),
    pre={"type": "Sequence", "pretokenizers": [
        {"type": "Split", "pattern": {"Regex": O200K}, "behavior": "Removed", "invert": True},
        {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False}]},
    post={"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True},
    decoder={"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True},
    added=[added(0, '<|endoftext|>')])

# 7. Split behaviors on a string / regex pattern in sequence, over byte-level BPE.
variants['bytelevel_split_behaviors'] = tok(
    bl_model,
    normalizer={"type": "Sequence", "normalizers": [{"type": "Replace", "pattern": {"String": "\t"}, "content": "    "},
                                                    {"type": "Prepend", "prepend": " "}]},
    pre={"type": "Sequence", "pretokenizers": [
        {"type": "Split", "pattern": {"String": " "}, "behavior": "MergedWithNext", "invert": False},
        {"type": "Split", "pattern": {"Regex": "[.,;:!?]+"}, "behavior": "MergedWithPrevious", "invert": False},
        {"type": "Split", "pattern": {"Regex": "\\d"}, "behavior": "Contiguous", "invert": False},
        {"type": "Split", "pattern": {"Regex": "\\n+"}, "behavior": "Isolated", "invert": False},
        {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False, "use_regex": False}]},
    decoder={"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True},
    added=[added(0, '<|endoftext|>')])

# 8. Classic BPE with continuing_subword_prefix and end_of_word_suffix, unk fusing, BPEDecoder.
v8, m8 = train_bpe(CORPUS, 120, prefix=None, suffix="</w>")
v8 = dict({"<unk>": 0}, **{k: i + 1 for k, i in v8.items()})
variants['bpe_suffix'] = tok(
    {"type": "BPE", "dropout": None, "unk_token": "<unk>", "continuing_subword_prefix": None, "end_of_word_suffix": "</w>",
     "fuse_unk": True, "byte_fallback": False, "ignore_merges": False, "vocab": v8, "merges": [" ".join(m) for m in m8]},
    normalizer={"type": "Lowercase"},
    pre={"type": "Whitespace"},
    decoder={"type": "BPEDecoder", "suffix": "</w>"},
    added=[added(0, '<unk>')])

v9, m9 = train_bpe(CORPUS, 120, prefix="##", suffix=None)
v9 = dict({"[UNK]": 0}, **{k: i + 1 for k, i in v9.items()})
variants['bpe_prefix'] = tok(
    {"type": "BPE", "dropout": None, "unk_token": "[UNK]", "continuing_subword_prefix": "##", "end_of_word_suffix": None,
     "fuse_unk": False, "byte_fallback": False, "ignore_merges": False, "vocab": v9, "merges": m9},
    normalizer={"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True, "strip_accents": None, "lowercase": True},
    pre={"type": "BertPreTokenizer"},
    decoder={"type": "WordPiece", "prefix": "##", "cleanup": True},
    added=[added(0, '[UNK]')])

# 10. SentencePiece BPE the newer way: Metaspace pre-tokenizer (prepend first, no split) instead of normalizers.
variants['spm_metaspace'] = tok(
    spm['model'], normalizer=None,
    pre={"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "first", "split": False},
    post=spm['post_processor'],
    decoder={"type": "Sequence", "decoders": [{"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "first", "split": False},
                                              {"type": "ByteFallback"}, {"type": "Fuse"}, {"type": "Strip", "content": " ", "start": 1, "stop": 0}]},
    added=spm['added_tokens'])

# 11. Llama 3 layout: regex Split + ByteLevel, post-processor Sequence[ByteLevel, TemplateProcessing with BOS].
rb = load('regex_bos')
variants['llama3_sequence_post'] = tok(
    rb['model'], normalizer=None, pre=rb['pre_tokenizer'],
    post={"type": "Sequence", "processors": [
        {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": False, "use_regex": True},
        rb['post_processor']]},
    decoder=rb['decoder'], added=rb['added_tokens'])

# 12. CLIP layout: NFC + whitespace collapsing + lowercase, inverted Removed Split, ByteLevel without regex,
# BPE with end_of_word_suffix over byte-level symbols.
v12, m12 = train_bpe([" ".join(c for c in line) for line in CORPUS], 0)
alphabet = [chr(c) for c in list(range(33, 127)) + list(range(161, 173)) + list(range(174, 256))] + [chr(256 + i) for i in range(68)]
v12 = {}
for ch in alphabet:
    v12.setdefault(ch, len(v12))
    v12.setdefault(ch + "</w>", len(v12))
w12, mm12 = train_bpe(CORPUS, 150, suffix="</w>")
for k in w12:
    v12.setdefault(k, len(v12))
v12["<|startoftext|>"] = len(v12)
v12["<|endoftext|>"] = len(v12)
variants['clip_like'] = tok(
    {"type": "BPE", "dropout": None, "unk_token": "<|endoftext|>", "continuing_subword_prefix": "", "end_of_word_suffix": "</w>",
     "fuse_unk": False, "byte_fallback": False, "ignore_merges": False, "vocab": v12, "merges": [" ".join(m) for m in mm12]},
    normalizer={"type": "Sequence", "normalizers": [{"type": "NFC"}, {"type": "Replace", "pattern": {"Regex": "\\s+"}, "content": " "},
                                                    {"type": "Lowercase"}]},
    pre={"type": "Sequence", "pretokenizers": [
        {"type": "Split", "pattern": {"Regex": "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+"},
         "behavior": "Removed", "invert": True},
        {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False}]},
    post={"type": "RobertaProcessing", "sep": ["<|endoftext|>", v12["<|endoftext|>"]], "cls": ["<|startoftext|>", v12["<|startoftext|>"]],
          "trim_offsets": False, "add_prefix_space": False},
    decoder={"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
    added=[added(v12["<|startoftext|>"], "<|startoftext|>", normalized=True), added(v12["<|endoftext|>"], "<|endoftext|>")])

# 13. WordLevel over words split on one character, digits kept together, CTC decoder.
wl_vocab = {"<pad>": 0, "<unk>": 1, "|": 2}
for line in CORPUS:
    for w in line.replace("'", " ").split():
        wl_vocab.setdefault(w.lower(), len(wl_vocab))
variants['wordlevel_ctc'] = tok(
    {"type": "WordLevel", "vocab": wl_vocab, "unk_token": "<unk>"},
    normalizer={"type": "Sequence", "normalizers": [{"type": "NFKD"}, {"type": "StripAccents"}, {"type": "Lowercase"},
                                                    {"type": "Strip", "strip_left": False, "strip_right": True}]},
    pre={"type": "Sequence", "pretokenizers": [{"type": "CharDelimiterSplit", "delimiter": " "},
                                               {"type": "Digits", "individual_digits": False},
                                               {"type": "Punctuation", "behavior": "Removed"}]},
    decoder={"type": "CTC", "pad_token": "<pad>", "word_delimiter_token": "|", "cleanup": True},
    added=[added(0, "<pad>"), added(1, "<unk>")])

# 14. Metaspace that never prepends.
variants['spm_never'] = tok(
    spm['model'], normalizer={"type": "NFKC"},
    pre={"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "never", "split": True},
    post=None,
    decoder={"type": "Sequence", "decoders": [{"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "never", "split": True},
                                              {"type": "ByteFallback"}, {"type": "Fuse"}]},
    added=spm['added_tokens'])

# Texts: the fixture texts, targeted texts, and seeded random mixtures of scripts, emoji and whitespace.
texts = []
for kind in ['bytelevel', 'spm', 'wordpiece']:
    texts += [c['text'] for c in json.load(open(os.path.join(fixtures, kind, 'cases.json'), encoding='utf-8'))]
texts += ["Hello <mask> world", "Hello   <mask>   world", "a[END]   b", "concatenate cat scat cat.", "cat", "(cat)",
          "hello HELLO Hello", "Hello<|endoftext|>Hello", "x<pad>y", "  <mask>", "[END]",
          "Tabs\tand  double  spaces, then punctuation!!! Right?", "1234567890 12 3",
          "ΣΟΦΟΣ İstanbul straße ǅ ﬁ ① ² Ⅻ", "e\u0301\u0301 A\u030a \u1100\u1161\u11a8", "👍🏽 🇫🇷 ❤️ 👨\u200d👩\u200d👧",
          "\u00a0\u3000\u2028\u0085 x \u200b y \ufeff", "\x00\x07\x7f z \ufffd", "line1\r\nline2\n\n\nline3  ",
          "The CAT'S toys AREN'T here; we'LL see", "supercalifragilisticexpialidocious", "▁ Ġ Ċ <0x0A> ##ing",
          "中文字符和日本語のテキスト、한국어", "العربية हिन्दी ภาษาไทย", "x" * 40, "word " * 30]
rng = random.Random(20261129)
atoms = ["Hello", "world", "the", "cat", "don't", "I'M", "Кот", "日本語", "한국어", "🙂", "👩\u200d💻", "café", "cafe\u0301",
         "ﬁne", "²", "1234", "3.14", "<mask>", "[END]", "<|endoftext|>", "<s>", "</s>", "[CLS]", "[MASK]", "http://x.io/a?b=c",
         "**", "#", "...", "—", "«»", "_", "\u200d", "\ufeff", "\u2581", "Ġ", "ΣΟΦΟΣ", "straße", "İ"]
spaces = [" ", "  ", "\t", "\n", "\n\n", "\r\n", "\u00a0", "\u3000", "   "]
for _ in range(70):
    s = "".join(rng.choice(atoms) if rng.random() < 0.6 else rng.choice(spaces) for _ in range(rng.randint(1, 10)))
    texts.append(s)

for name, spec in variants.items():
    d = os.path.join(here, name)
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, 'tokenizer.json')
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(spec, f, ensure_ascii=False, indent=1)
    out = subprocess.run(['node', oracle, path], input="\n".join(json.dumps(t) for t in texts) + "\n",
                         capture_output=True, text=True, encoding='utf-8', check=True).stdout
    cases = []
    for line in [l for l in out.split("\n") if l]:
        r = json.loads(line)
        cases.append({"text": r['text'], "ids": r['ids'], "tokens": r['tokens'], "offsets": r['offsets'],
                      "ids_without_special": r['idsNoSpecial'], "decoded": r['decodedWithSpecial'],
                      "decoded_skip_special": r['decoded']})
    with open(os.path.join(d, 'cases.json'), 'w', encoding='utf-8') as f:
        json.dump(cases, f, ensure_ascii=False, indent=0)
    print(name, len(cases))

# The five fixture kinds themselves on random texts: every plane, controls, whitespace runs, marks, specials.
def random_char(r):
    x = r.random()
    if x < 0.3:
        return chr(r.randint(0, 0x7F))
    if x < 0.5:
        return chr(r.randint(0x80, 0x7FF))
    if x < 0.8:
        c = r.randint(0x800, 0xFFFF)
        while 0xD800 <= c <= 0xDFFF:
            c = r.randint(0x800, 0xFFFF)
        return chr(c)
    return chr(r.randint(0x10000, 0x10FFFF))

WS = [" ", "\t", "\n", "\r", "\u00a0", "\u2003", "\u3000", "\u0085", "\u2028", "\x0b", "\x0c"]
WORDS = ["the", "Hello", "'s", "'LL", "don't", "123456", "é", "e\u0301", "Кот", "日本", "🙂", "👩🏽\u200d💻",
         "<s>", "<|endoftext|>", "<|im_start|>", "[CLS]", "[MASK]", "▁", "Ġ"]
rng = random.Random(7)
unseen = []
for _ in range(250):
    s = ""
    for _ in range(rng.randint(0, 30)):
        x = rng.random()
        s += random_char(rng) if x < 0.5 else rng.choice(WS) * rng.randint(1, 4) if x < 0.7 else rng.choice(WORDS)
    unseen.append(s)
for kind in ['bytelevel', 'regex', 'regex_bos', 'spm', 'wordpiece']:
    d = os.path.join(here, 'unseen_' + kind)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, 'fixture.txt'), 'w') as f:
        f.write(kind + "\n")
    path = os.path.join(fixtures, kind, 'tokenizer.json')
    out = subprocess.run(['node', oracle, path], input="\n".join(json.dumps(t) for t in unseen) + "\n",
                         capture_output=True, text=True, encoding='utf-8', check=True).stdout
    cases = []
    for line in [l for l in out.split("\n") if l]:
        r = json.loads(line)
        cases.append({"text": r['text'], "ids": r['ids'], "tokens": r['tokens'], "offsets": r['offsets'],
                      "ids_without_special": r['idsNoSpecial'], "decoded": r['decodedWithSpecial'],
                      "decoded_skip_special": r['decoded']})
    with open(os.path.join(d, 'cases.json'), 'w', encoding='utf-8') as f:
        json.dump(cases, f, ensure_ascii=False, indent=0)
    print('unseen_' + kind, len(cases))
