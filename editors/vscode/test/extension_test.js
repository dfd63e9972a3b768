// The extension's manifest and its client, without VS Code: extension.js is loaded with
// stand-ins for the `vscode` module and for vscode-languageclient's LanguageClient, which
// record what the client would start. Usage: node extension_test.js. Exits 1 on a failure.
'use strict';

const fs = require('fs');
const path = require('path');
const Module = require('module');

const ext = path.join(__dirname, '..');
const failures = [];
let checks = 0;
function check(ok, what) {
  checks++;
  if (!ok) failures.push(what);
}
const json = (f) => JSON.parse(fs.readFileSync(path.join(ext, f), 'utf8'));

// ---- the manifest agrees with the files it names --------------------------------------
const pkg = json('package.json');
const lang = pkg.contributes.languages.find((l) => l.id === 'reddalert');
check(lang && lang.extensions.includes('.policy'), 'package.json: language reddalert for .policy files');
check(pkg.activationEvents.includes('onLanguage:reddalert'), 'package.json: activates on the language');
const grammar = pkg.contributes.grammars.find((g) => g.language === 'reddalert');
check(grammar && grammar.scopeName === 'source.reddalert', 'package.json: grammar source.reddalert');
check(grammar && json(grammar.path).scopeName === grammar.scopeName, `${grammar && grammar.path}: scopeName`);
const config = json(lang.configuration);
check(config.comments.lineComment === '#', 'language-configuration.json: `#` line comments');
for (const pair of ['{}', '[]', '()', '""', "''"]) {
  const [open, close] = pair;
  const autoClosed = config.autoClosingPairs.some((p) => p.open === open && p.close === close);
  const surrounds = config.surroundingPairs.some((p) => p[0] === open && p[1] === close);
  check(autoClosed && surrounds, `language-configuration.json: ${pair} auto-closes and surrounds`);
}
const setting = pkg.contributes.configuration.properties['reddalert.path'];
check(setting && setting.default === 'reddalert', 'package.json: setting reddalert.path, default `reddalert`');
check(fs.existsSync(path.join(ext, pkg.main)), `package.json: main ${pkg.main} exists`);
const lock = json('package-lock.json');
check(
  lock.packages['node_modules/vscode-languageclient'].version === pkg.dependencies['vscode-languageclient'],
  'package-lock.json: pins the vscode-languageclient of package.json'
);

// ---- the client, against stand-ins --------------------------------------------------
const settings = { path: '/opt/reddalert/bin/reddalert' };
const commands = {};
const errors = [];
let configListener;
const clients = [];
let failStart = false;

class LanguageClient {
  constructor(id, name, serverOptions, clientOptions) {
    Object.assign(this, { id, name, serverOptions, clientOptions, started: false, stopped: false });
    clients.push(this);
  }
  async start() {
    if (failStart) throw new Error('spawn /nowhere/reddalert ENOENT');
    this.started = true;
  }
  async stop() {
    this.stopped = true;
  }
}
const vscode = {
  workspace: {
    getConfiguration: (section) => ({ get: (key) => (section === 'reddalert' ? settings[key] : undefined) }),
    createFileSystemWatcher: (glob) => ({ glob }),
    onDidChangeConfiguration: (listener) => {
      configListener = listener;
      return { dispose() {} };
    },
  },
  commands: {
    registerCommand: (name, fn) => {
      commands[name] = fn;
      return { dispose() {} };
    },
  },
  window: { showErrorMessage: (message) => errors.push(message) },
};
const load = Module._load;
Module._load = function (request, ...rest) {
  if (request === 'vscode') return vscode;
  if (request === 'vscode-languageclient/node') return { LanguageClient };
  return load.call(this, request, ...rest);
};
const extension = require(path.join(ext, pkg.main));

const settingChange = (key) => ({ affectsConfiguration: (k) => k === key });
const tick = () => new Promise((resolve) => setImmediate(resolve));

async function main() {
  const context = { subscriptions: [] };
  await extension.activate(context);
  const first = clients[0];
  check(clients.length === 1 && first.started, 'activate starts one client');
  // `--stdio` would be appended to the arguments with a transport (extension.js says why)
  check(
    JSON.stringify(first.serverOptions) === JSON.stringify({ command: settings.path, args: ['lsp'] }),
    `the server is \`reddalert.path lsp\`: ${JSON.stringify(first.serverOptions)}`
  );
  const selector = first.clientOptions.documentSelector;
  check(
    selector.some((s) => s.language === 'reddalert' && s.scheme === 'file'),
    'the client serves reddalert files'
  );
  check(
    selector.some((s) => s.language === 'yaml' && s.pattern === '**/*_test.yaml'),
    'the client serves policy test cases'
  );
  for (const c of pkg.contributes.commands)
    check(typeof commands[c.command] === 'function', `command ${c.command} is registered`);
  check(context.subscriptions.length >= 2, 'what activate registers is disposed with the extension');

  configListener(settingChange('editor.fontSize'));
  await tick();
  check(clients.length === 1 && !first.stopped, 'another setting leaves the server running');

  settings.path = '/usr/local/bin/reddalert';
  configListener(settingChange('reddalert.path'));
  await tick();
  await tick();
  check(first.stopped && clients.length === 2, 'a new reddalert.path restarts the server');
  check(clients[1]?.serverOptions.command === settings.path, 'the restart runs the new path');

  settings.path = '';
  await commands['reddalert.restartServer']();
  check(clients[1]?.stopped && clients[2]?.serverOptions.command === 'reddalert', 'an empty path means `reddalert`');

  failStart = true;
  settings.path = '/nowhere/reddalert';
  await commands['reddalert.restartServer']();
  check(
    errors.length === 1 && errors[0].includes('/nowhere/reddalert lsp') && errors[0].includes('ENOENT'),
    `a server that cannot start is reported: ${JSON.stringify(errors)}`
  );

  await extension.deactivate();
  check(clients[3]?.stopped, 'deactivate stops the server');

  for (const f of failures) console.log(`FAIL ${f}`);
  console.log(`editors_vscode_client: ${checks - failures.length} passed, ${failures.length} failed`);
  process.exit(failures.length ? 1 : 0);
}

main().catch((e) => {
  console.log(`FAIL ${e.stack || e}`);
  process.exit(1);
});
