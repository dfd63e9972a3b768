// Tokenizes every shipped policy, the examples of docs/language.md and the policies of the
// README and language.md with the extension's TextMate grammar, as VS Code does
// (vscode-textmate on the Oniguruma of vscode-oniguruma), and checks the scopes it gives.
// Usage: node grammar_test.js REPO_ROOT. Prints one line per failure and exits 1 on any.
'use strict';

const fs = require('fs');
const path = require('path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const root = path.resolve(process.argv[2] || path.join(__dirname, '..', '..', '..'));
const grammarPath = path.join(root, 'editors', 'vscode', 'syntaxes', 'reddalert.tmLanguage.json');

const failures = [];
let checks = 0;
function check(ok, what) {
  checks++;
  if (!ok) failures.push(what);
}

// ---- what the language has, read from its sources so that a new word fails here ------
const peg = fs.readFileSync(path.join(root, 'grammar', 'policy.peg'), 'utf8');
function pegWords(rule) {
  // `rule <- ...` up to the next rule: all its words for KEYWORD, else the quoted words of
  // its first group, `('title' / 'severity' / ...)`
  const m = peg.match(new RegExp('^' + rule + '\\s*<-([\\s\\S]*?)(?=^\\S|(?![\\s\\S]))', 'm'));
  if (!m) throw new Error(`grammar/policy.peg has no rule ${rule}`);
  const body = m[1].replace(/#.*$/gm, '');
  if (rule === 'KEYWORD') return body.match(/[a-z_]+/g);
  return [...body.match(/\(([^()]*)\)/)[1].matchAll(/'([a-z_]+)'/g)].map((x) => x[1]);
}
const RESERVED = pegWords('KEYWORD');
const META = pegWords('meta');
const QUANTIFIERS = pegWords('quantifier');
const BUILTINS = [
  ...fs.readFileSync(path.join(root, 'src', 'lang', 'builtins.cpp'), 'utf8').matchAll(/\{BuiltinId::\w+,\s*"([a-z_]+)"/g),
].map((m) => m[1]);

// The scope each reserved word gets, by role (docs/architecture.md, "editors/").
const ROLE = {
  for: 'keyword.control.clause',
  where: 'keyword.control.clause',
  let: 'keyword.control.clause',
  alert: 'keyword.control.clause',
  message: 'keyword.control.clause',
  details: 'keyword.control.clause',
  if: 'keyword.control.conditional',
  then: 'keyword.control.conditional',
  else: 'keyword.control.conditional',
  not: 'keyword.operator.word',
  and: 'keyword.operator.word',
  or: 'keyword.operator.word',
  in: 'keyword.operator.word', // `for x in` and `any(x in`: keyword.control.clause
  within: 'keyword.operator.word',
  matches: 'keyword.operator.word',
  policy: 'storage.type.policy',
  def: 'storage.type.def',
  const: 'storage.type.const',
  param: 'storage.type.param',
  import: 'keyword.control.import',
  reddalert: 'keyword.other.header',
  changed: 'keyword.other.changed',
  aws: 'keyword.other.collection',
  view: 'keyword.other.collection',
  group: 'keyword.other.collection',
  null: 'constant.language.null',
  true: 'constant.language.boolean',
  false: 'constant.language.boolean',
};
for (const w of RESERVED) check(w in ROLE, `grammar/policy.peg reserves \`${w}\`, which has no role in this test`);
check(BUILTINS.length >= 40, `read only ${BUILTINS.length} builtins from src/lang/builtins.cpp`);
check(META.length >= 9 && QUANTIFIERS.length === 4, 'read the metadata keys and quantifiers from grammar/policy.peg');

// ---- tokenizing --------------------------------------------------------------------
async function loadGrammar() {
  const wasm = fs.readFileSync(path.join(__dirname, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) =>
      scopeName === 'source.reddalert' ? vsctm.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath) : null,
  });
  return registry.loadGrammar('source.reddalert');
}

// Lines of tokens {start, end, text, scopes}; the rule stack carries over from line to line.
function tokenize(grammar, text) {
  let stack = vsctm.INITIAL;
  return text.split('\n').map((line) => {
    const r = grammar.tokenizeLine(line, stack);
    stack = r.ruleStack;
    return r.tokens
      .filter((t) => t.startIndex < line.length)
      .map((t) => ({
        start: t.startIndex,
        end: Math.min(t.endIndex, line.length),
        text: line.slice(t.startIndex, t.endIndex),
        scopes: t.scopes,
      }));
  });
}
const tokenAt = (tokens, col) => tokens.find((t) => t.start <= col && col < t.end);
const has = (tok, prefix) => tok.scopes.some((s) => s === prefix || s.startsWith(prefix + '.'));
const show = (tok) => (tok ? `\`${tok.text}\` [${tok.scopes.slice(1).join(' ')}]` : 'no token');

// ---- an independent reading of a line: where reserved words, quantifiers and builtin calls
// are code (not in a string, a regex, a comment, after `.`, or a map key) --------------------
const OPERAND_BEFORE = new Set([...Object.keys(ROLE).filter((w) => !['null', 'true', 'false'].includes(w)), ...META, 'key']);
function codeWords(line) {
  const out = [];
  const stack = ['code']; // 'code', 'brace' or 'interp' (code), 'tmpl' (template text)
  let operand = false; // was the last thing an operand (then `/` divides)
  let last = ''; // the last significant character of code, 'w' for a word
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (stack[stack.length - 1] === 'tmpl') {
      if (c === '\\') i += 2;
      else if (c === '"') {
        stack.pop();
        i++;
        operand = true;
        last = '"';
      } else if (c === '{') {
        stack.push('interp');
        i++;
        operand = false;
        last = '{';
      } else i++;
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '#') break;
    if (c === '"') {
      stack.push('tmpl');
      i++;
      continue;
    }
    if (c === "'" || (c === '/' && !operand)) {
      let j = i + 1;
      while (j < line.length && line[j] !== c) j += c === '/' && line[j] === '\\' ? 2 : 1;
      i = j + 1;
      operand = true;
      last = c;
      continue;
    }
    const word = line.slice(i).match(/^[A-Za-z_][A-Za-z0-9_]*/);
    if (word) {
      const w = word[0];
      const end = i + w.length;
      const afterDot = last === '.';
      const mapKey = (last === '' || last === '{' || last === ',') && /^\s*:/.test(line.slice(end));
      if (!afterDot && !mapKey) {
        const before = line.slice(0, i);
        const call = /^\s*\(/.test(line.slice(end));
        if (w === 'in' && /(\bfor\s+\w+|\b(any|all|none|count)\s*\(\s*\w+)\s+$/.test(before))
          out.push({ col: i, word: w, scope: 'keyword.control.clause' });
        else if (w in ROLE) out.push({ col: i, word: w, scope: ROLE[w] });
        else if (call && QUANTIFIERS.includes(w)) out.push({ col: i, word: w, scope: 'keyword.other.quantifier' });
        else if (call && BUILTINS.includes(w)) out.push({ col: i, word: w, scope: 'support.function.builtin' });
        else if (last === '' && (META.includes(w) || w === 'key') && /^\s+[^\s=.:]/.test(line.slice(end)))
          out.push({ col: i, word: w, scope: w === 'key' ? 'keyword.control.clause' : 'keyword.other.metadata' });
      }
      operand = afterDot || !OPERAND_BEFORE.has(w);
      last = 'w';
      i = end;
      // a policy name may hold `-` and reserved words: `public-instance-open-group`
      if (w === 'policy') i += line.slice(i).match(/^\s*[a-z0-9_-]*/)[0].length;
      continue;
    }
    const number = line.slice(i).match(/^[0-9]+(\.[0-9]+)?[A-Za-z_0-9]*/);
    if (number) {
      i += number[0].length;
      operand = true;
      last = '0';
      continue;
    }
    if (c === '{') stack.push('brace');
    if (c === '}' && stack.length > 1) stack.pop();
    operand = c === ')' || c === ']' || c === '}';
    last = c === '.' && line[i + 1] === '.' ? '..' : c;
    i += c === '.' && line[i + 1] === '.' ? 2 : 1;
  }
  return out;
}

// Every line: no `invalid` token, and every code word above with the scope of its role.
function checkSource(grammar, name, text) {
  const lines = tokenize(grammar, text);
  text.split('\n').forEach((line, n) => {
    const where = `${name}:${n + 1}`;
    for (const t of lines[n]) check(!has(t, 'invalid'), `${where}: ${show(t)} is scoped invalid in: ${line.trim()}`);
    for (const w of codeWords(line)) {
      const t = tokenAt(lines[n], w.col);
      check(t && has(t, w.scope), `${where}:${w.col + 1}: \`${w.word}\` should be ${w.scope}, is ${show(t)}`);
    }
  });
  return lines;
}

function walk(dir) {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

// The expressions of the `reddalert-example` blocks of docs/language.md, one per line.
function languageExamples() {
  const md = fs.readFileSync(path.join(root, 'docs', 'language.md'), 'utf8');
  const blocks = [...md.matchAll(/^```reddalert-example\n([\s\S]*?)^```/gm)].map((m) => m[1]);
  return blocks.flatMap((b) => b.split('\n').filter((l) => l.trim() !== '').map((l) => l.split(' ==> ')[0]));
}

// The whole policy files shown in the README and docs/language.md: the plain code blocks that
// start with the header.
function documentedPolicies() {
  return ['README.md', path.join('docs', 'language.md')].flatMap((f) =>
    [...fs.readFileSync(path.join(root, f), 'utf8').matchAll(/^```\n(reddalert 1\n[\s\S]*?)^```/gm)].map((m) => ({
      name: `${f} (the policy at line ${fs.readFileSync(path.join(root, f), 'utf8').slice(0, m.index).split('\n').length})`,
      text: m[1],
    }))
  );
}

// ---- chosen positions: [file, a line containing `line`, the `nth` occurrence of `at` in it
// (a whole word when `at` begins and ends with one),
// the scope it must have, or with `!` one it must not have] ----------------------------------
const POSITIONS = [
  ['secgroups.policy', 'reddalert 1', 'reddalert', 'keyword.other.header'],
  ['secgroups.policy', 'reddalert 1', '1', 'constant.numeric.version'],
  ['secgroups.policy', 'import "lib/aws.policy"', 'import', 'keyword.control.import'],
  ['secgroups.policy', 'import "lib/aws.policy"', 'lib/aws', 'string.quoted.double'],
  ['secgroups.policy', 'policy secgroups {', 'policy', 'storage.type.policy'],
  ['secgroups.policy', 'policy secgroups {', 'secgroups', 'entity.name.type.policy'],
  ['secgroups.policy', 'title ', 'title', 'keyword.other.metadata'],
  ['secgroups.policy', 'severity ', 'severity', 'keyword.other.metadata'],
  ['secgroups.policy', 'severity ', 'high', 'constant.language.severity'],
  ['secgroups.policy', 'description "An ingress', 'An ingress', 'string.quoted.double'],
  ['secgroups.policy', 'description "An ingress', '+', 'keyword.operator.arithmetic'],
  // comments at the end of a line, with a `{"..."}` and a `[...]` inside
  ['secgroups.policy', 'param allowed_protocols', '# protocols never', 'comment.line.number-sign'],
  ['secgroups.policy', 'param whitelisted_entries', '"22": [CIDRs]', 'comment.line.number-sign'],
  ['secgroups.policy', 'param whitelisted_entries', '"22"', '!string'],
  ['secgroups.policy', 'param allowed_protocols', 'param', 'storage.type.param'],
  ['secgroups.policy', 'param allowed_protocols', 'allowed_protocols', 'variable.parameter.policy'],
  ['secgroups.policy', 'param whitelisted_entries', '{}', 'punctuation.section.braces'],
  ['secgroups.policy', 'for sg in changed', 'for', 'keyword.control.clause'],
  ['secgroups.policy', 'for sg in changed', 'sg', 'variable.other'],
  ['secgroups.policy', 'for sg in changed', 'in', 'keyword.control.clause'],
  ['secgroups.policy', 'for sg in changed', 'changed', 'keyword.other.changed'],
  ['secgroups.policy', 'for sg in changed', 'aws', 'keyword.other.collection'],
  ['secgroups.policy', 'for sg in changed', 'securityGroups', 'support.type.collection'],
  // a template string: its text is a string, the code of its interpolations is not
  ['secgroups.policy', 'let group_key =', '"', 'punctuation.definition.string.begin'],
  ['secgroups.policy', 'let group_key =', '{', 'punctuation.section.interpolation.begin'],
  ['secgroups.policy', 'let group_key =', 'sg', 'meta.interpolation'],
  ['secgroups.policy', 'let group_key =', 'sg', '!string'],
  ['secgroups.policy', 'let group_key =', 'groupId', 'variable.other.property'],
  ['secgroups.policy', 'let group_key =', 'groupId', '!string'],
  ['secgroups.policy', 'let group_key =', ' (', 'string.quoted.double'],
  ['secgroups.policy', 'let group_key =', ' (', '!meta.interpolation'],
  ['secgroups.policy', 'let group_key =', '}', 'punctuation.section.interpolation.end'],
  ['secgroups.policy', 'let group_key =', ')"', 'string.quoted.double'],
  ['secgroups.policy', 'where perm.ipProtocol not in', 'not', 'keyword.operator.word'],
  ['secgroups.policy', 'where perm.ipProtocol not in', 'in', 'keyword.operator.word'],
  ['secgroups.policy', 'where any(r in ranges', 'any', 'keyword.other.quantifier'],
  ['secgroups.policy', 'where any(r in ranges', 'in', 'keyword.control.clause'],
  ['secgroups.policy', 'where any(r in ranges', 'within', 'keyword.operator.word'],
  ['secgroups.policy', 'where perm.fromPort == null', '==', 'keyword.operator.comparison'],
  ['secgroups.policy', 'where perm.fromPort == null', 'null', 'constant.language.null'],
  ['secgroups.policy', 'let allowed_here', '??', 'keyword.operator.coalesce'],
  ['secgroups.policy', 'message "{rule_label(perm)}', 'rule_label', 'entity.name.function.call'],
  ['secgroups.policy', 'message "{rule_label(perm)}', 'join', 'support.function.builtin'],
  ['secgroups.policy', 'message "{rule_label(perm)}', "', '", 'string.quoted.single'],
  ['secgroups.policy', 'message "{rule_label(perm)}', "', '", 'meta.interpolation'],
  ['secgroups.policy', 'machines: [machine(i)', 'machines', 'variable.other.property.key'],
  // `key`: the item, then a variable of that name; a keyword as a field name
  ['iam/stale-access-key.policy', 'key     key.accessKeyId', 'key', 'keyword.control.clause'],
  ['iam/stale-access-key.policy', 'key     key.accessKeyId', 'key', '!keyword', 2],
  ['iam/stale-access-key.policy', 'key     key.accessKeyId', 'accessKeyId', 'variable.other.property'],
  ['iam/stale-access-key.policy', 'key     key.accessKeyId', '# the age', 'comment.line.number-sign'],
  ['iam/stale-access-key.policy', 'for key in u.accessKeys', 'key', 'variable.other'],
  ['iam/stale-access-key.policy', 'param max_age = 90d', '90d', 'constant.numeric.duration'],
  ['iam/stale-access-key.policy', 'let days = floor', '1d', 'constant.numeric.duration'],
  ['iam/stale-access-key.policy', 'let days = floor', '/', 'keyword.operator.arithmetic'],
  ['iam.policy', 'message if before != null then', 'if', 'keyword.control.conditional'],
  ['iam.policy', 'message if before != null then', 'then', 'keyword.control.conditional'],
  ['iam.policy', 'else if len(u.groups) > 0', 'else', 'keyword.control.conditional'],
  ['iam.policy', 'else if len(u.groups) > 0', '0', 'constant.numeric'],
  ['iam.policy', 'new: before == null', 'new', 'variable.other.property.key'],
  ['iam.policy', 'where none(pattern in allowed', 'matches', 'keyword.operator.word'],
  ['ami.policy', 'let instances_by_image', 'view', 'keyword.other.collection'],
  ['ami.policy', 'let instances_by_image', 'instances', 'support.type.collection'],
  ['ami.policy', 'let instances_by_image', '=>', 'storage.type.function.arrow'],
  ['ami.policy', 'let instances_by_image', 'i', 'variable.parameter'],
  ['ami.policy', 'where unseen and first_launch >= since', 'since', 'variable.language'],
  ['ec2/public-ami.policy', 'where img.public == true', 'true', 'constant.language.boolean'],
  ['ec2/public-ami.policy', 'where img.public == true', 'public', 'variable.other.property'],
  ['iam/role-trust-external.policy', 'if p == "*" or', '"*"', 'string.quoted.double'],
  ['iam/role-trust-external.policy', 'if p == "*" or', 'if', 'keyword.control.conditional'],
  // CIDR strings
  ['lib/aws.policy', 'def world_ranges(perm)', '0.0.0.0/0', 'constant.other.cidr'],
  ['lib/aws.policy', 'def world_ranges(perm)', '0.0.0.0/0', 'string.quoted'],
  ['lib/aws.policy', 'def world_ranges(perm)', '::/0', 'constant.other.cidr'],
  ['lib/aws.policy', 'def world_ranges(perm)', 'def', 'storage.type.def'],
  ['lib/aws.policy', 'def world_ranges(perm)', 'world_ranges', 'entity.name.function'],
  ['lib/aws.policy', 'def world_ranges(perm)', 'perm', 'variable.parameter'],
  ['lib/aws.policy', 'def region(zone)', '0', 'constant.numeric'],
  ['lib/aws.policy', 'def region(zone)', '-', 'keyword.operator.arithmetic'],
  ['lib/aws.policy', 'def region(zone)', '1', 'constant.numeric'],
  ['lib/aws.policy', 'def account(i)', '4', 'constant.numeric'],
  ['lib/aws.policy', 'def account(i)', '":"', 'string.quoted.double'],
  ['lib/aws.policy', 'def rule_ranges(perm)', 'unique', 'support.function.builtin'],
  ['lib/aws.policy', '(perm.ipRanges ?? [])', '[*]', 'keyword.operator.projection'],
  ['lib/aws.policy', '# Helpers shared by', 'Helpers', 'comment.line.number-sign'],
  ['lib/aws.policy', '# "i-0123 (198.51.100.7)', '198.51.100.7', 'comment.line.number-sign'],
  ['lib/aws.policy', 'let groups_by_id', 'groupId', 'variable.other.property'],
  // docs/language.md's examples: ranges, regexes, raw strings, escapes
  ['docs', '80 within 1..1024', '1..1024', 'meta.range'],
  ['docs', '80 within 1..1024', '..', 'keyword.operator.range'],
  ['docs', '80 within 1..1024', '1024', 'constant.numeric'],
  ['docs', '8050 in [22, 8000..8100]', '8000', 'constant.numeric'],
  ['docs', '1..2 + 3', '+', 'keyword.operator.arithmetic'],
  ['docs', '"prod-web" matches /^prod-/', '^prod-', 'string.regexp'],
  ['docs', '"a/b" matches /a\\/b/', '\\/', 'constant.character.escape'],
  ['docs', '/#/', '#', 'string.regexp'],
  ['docs', '1d / 1h', '/', 'keyword.operator.arithmetic'],
  ['docs', "'raw {x} \\n'", 'x', 'string.quoted.single'],
  ['docs', "'raw {x} \\n'", 'x', '!meta.interpolation'],
  ['docs', '"\\{a\\} \\"q\\" \\\\"', '\\{', 'constant.character.escape'],
  ['docs', '"\\{a\\} \\"q\\" \\\\"', 'a', 'string.quoted.double'],
  ['docs', '"{"in" + "ner"}"', 'in', 'string.quoted.double'],
  ['docs', '"{"in" + "ner"}"', '+', 'meta.interpolation'],
  ['docs', '"{"in" + "ner"}"', '+', '!string'],
  ['docs', '"map: { {b: 1, a: 2} }"', 'b', 'variable.other.property.key'],
  ['docs', '"map: { {b: 1, a: 2} }"', 'b', '!string'],
  ['docs', '{message: "m", for: 1}', 'for', 'variable.other.property.key'],
  ['docs', '"10.1.2.3" within "10.0.0.0/8"', '10.1.2.3', 'constant.other.ip'],
  ['docs', '"10.1.2.3" within "10.0.0.0/8"', '10.0.0.0/8', 'constant.other.cidr'],
  ['docs', '"2001:db8::1" within "2001:db8::/32"', '2001:db8::/32', 'constant.other.cidr'],
  ['docs', '1 + 2 # a comment', '# a comment', 'comment.line.number-sign'],
  ['docs', '"#not a comment"', '#not', 'string.quoted.double'],
];

// Text the shipped files lack, which the grammar must mark: other languages' operators,
// bad escapes, a lone `}`, an unterminated string, a stray character.
const INVALID = ['a && b', 'a || b', 'a === b', '!a', '"a\\qb"', '"a}b"', '"open', 'a; b', '@x', '1e5'];

async function main() {
  const grammar = await loadGrammar();
  const files = {};
  const policies = walk(path.join(root, 'policies')).filter((f) => f.endsWith('.policy'));
  check(policies.length >= 18, `found only ${policies.length} shipped policy files`);
  for (const f of policies) {
    const rel = path.relative(path.join(root, 'policies'), f);
    files[rel] = { text: fs.readFileSync(f, 'utf8') };
    files[rel].tokens = checkSource(grammar, path.join('policies', rel), files[rel].text);
  }
  const examples = languageExamples();
  check(examples.length >= 200, `found only ${examples.length} examples in docs/language.md`);
  files.docs = { text: examples.join('\n') };
  files.docs.tokens = checkSource(grammar, 'docs/language.md (examples)', files.docs.text);
  const documented = documentedPolicies();
  check(documented.length >= 2, `found only ${documented.length} policies in README.md and docs/language.md`);
  for (const { name, text } of documented) checkSource(grammar, name, text);

  for (const [file, lineText, at, want, nth = 1] of POSITIONS) {
    const what = `${file}: \`${at}\` in \`${lineText}\``;
    const lines = files[file].text.split('\n');
    const n = lines.findIndex((l) => l.includes(lineText));
    const escaped = at.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    const word = new RegExp(/^\w/.test(at) && /\w$/.test(at) ? `\\b${escaped}\\b` : escaped, 'g');
    const cols = n < 0 ? [] : [...lines[n].matchAll(word)].map((x) => x.index);
    const col = cols.length >= nth ? cols[nth - 1] : -1;
    if (n < 0 || col < 0) {
      check(false, `${what}: not found; the policy changed, update POSITIONS`);
      continue;
    }
    // every character of `at` (so a token split in two is seen)
    for (let c = col; c < col + at.length; c++) {
      const t = tokenAt(files[file].tokens[n], c);
      const ok = want.startsWith('!') ? t && !has(t, want.slice(1)) : t && has(t, want);
      check(ok, `${what}: should be ${want}, is ${show(t)}`);
      if (!ok) break;
    }
  }

  for (const text of INVALID) {
    const [tokens] = tokenize(grammar, text);
    check(
      tokens.some((t) => has(t, 'invalid')),
      `\`${text}\` should have a token scoped invalid: ${tokens.map(show).join(', ')}`
    );
  }
  // every builtin and metadata key the sources list, and no other name
  for (const b of BUILTINS) {
    const [tokens] = tokenize(grammar, `let x = ${b}(1)`);
    check(has(tokenAt(tokens, 8), 'support.function.builtin'), `builtin ${b}: ${show(tokenAt(tokens, 8))}`);
  }
  const [own] = tokenize(grammar, 'let x = lens(1)');
  check(!has(tokenAt(own, 8), 'support.function.builtin'), `lens() is no builtin: ${show(tokenAt(own, 8))}`);
  for (const m of META) {
    const tokens = tokenize(grammar, `policy p {\n  ${m} "x"\n}`)[1];
    check(has(tokenAt(tokens, 2), 'keyword.other.metadata'), `metadata key ${m}: ${show(tokenAt(tokens, 2))}`);
  }

  for (const f of failures) console.log(`FAIL ${f}`);
  console.log(
    `editors_vscode_grammar: ${checks - failures.length} passed, ${failures.length} failed ` +
      `(${policies.length} policy files, ${examples.length} examples, ${documented.length} documented policies, ` +
      `${POSITIONS.length} positions)`
  );
  process.exit(failures.length ? 1 : 0);
}

main().catch((e) => {
  console.log(`FAIL ${e.stack || e}`);
  process.exit(1);
});
