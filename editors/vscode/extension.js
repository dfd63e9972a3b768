// The VS Code client of `reddalert lsp`: starts the executable named by the setting
// `reddalert.path` and speaks LSP 3.17 with it over its standard input and output.
'use strict';

const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function serverOptions() {
  const command = vscode.workspace.getConfiguration('reddalert').get('path') || 'reddalert';
  // No `transport` on purpose: vscode-languageclient appends `--stdio` to the arguments when
  // it is set to stdio, and `reddalert lsp` takes no such option. Without one the client
  // still talks over the process's standard streams.
  return { command, args: ['lsp'] };
}

function clientOptions() {
  return {
    // Policy files, and the policy test cases next to them, which the server lints too.
    documentSelector: [
      { scheme: 'file', language: 'reddalert' },
      { scheme: 'file', language: 'yaml', pattern: '**/*_test.yaml' },
    ],
    synchronize: {
      // The configuration (policy params, lint levels) and imported files change what a
      // policy's diagnostics are, so the server hears of them although they are not open.
      fileEvents: vscode.workspace.createFileSystemWatcher('**/{*.policy,*_test.yaml,reddalert.yaml}'),
    },
  };
}

async function start() {
  client = new LanguageClient('reddalert', 'reddalert language server', serverOptions(), clientOptions());
  try {
    await client.start();
  } catch (err) {
    const path = vscode.workspace.getConfiguration('reddalert').get('path');
    vscode.window.showErrorMessage(
      `reddalert: could not start \`${path} lsp\` (${err.message || err}); set reddalert.path to the executable.`
    );
  }
}

async function stop() {
  if (client) {
    const running = client;
    client = undefined;
    await running.stop().catch(() => {});
  }
}

async function restart() {
  await stop();
  await start();
}

async function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand('reddalert.restartServer', restart),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('reddalert.path')) {
        restart();
      }
    })
  );
  await start();
}

function deactivate() {
  return stop();
}

module.exports = { activate, deactivate, serverOptions, clientOptions };
