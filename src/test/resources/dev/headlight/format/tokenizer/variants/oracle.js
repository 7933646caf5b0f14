// usage: node oracle.js tokenizer.json < texts.jsonl  (one JSON string per line) -> JSON lines
const {Tokenizer} = require('tokenizers');
const fs = require('fs');
const tok = Tokenizer.fromFile(process.argv[2]);
const lines = fs.readFileSync(0, 'utf8').split('\n').filter(l => l.length);
(async () => {
  const out = [];
  for (const l of lines) {
    const text = JSON.parse(l);
    const e = await tok.encode(text);
    const ids = e.getIds();
    const e2 = await tok.encode(text, null, {addSpecialTokens: false});
    out.push(JSON.stringify({text, ids, tokens: e.getTokens(), offsets: e.getOffsets(), special: e.getSpecialTokensMask(),
      idsNoSpecial: e2.getIds(),
      decoded: await tok.decode(ids, true), decodedWithSpecial: await tok.decode(ids, false)}));
  }
  console.log(out.join('\n'));
})();
