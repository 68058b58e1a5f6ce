// The evc extension's client: it starts `evc lsp` for .evc files and lets
// vscode-languageclient speak the protocol.
'use strict';
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const cfg = vscode.workspace.getConfiguration('evc');
  const args = ['lsp'];
  const against = cfg.get('against');
  if (against) {
    args.push('--against', against);
  }
  const server = { command: cfg.get('path') || 'evc', args };
  client = new LanguageClient('evc', 'evc', { run: server, debug: server }, {
    documentSelector: [{ scheme: 'file', language: 'evc' }],
  });
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
