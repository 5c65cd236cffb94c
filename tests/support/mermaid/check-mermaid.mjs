#!/usr/bin/env node
// Parses every ```mermaid block of Markdown files with Mermaid itself, so that a
// document whose diagram would not render fails a test instead of shipping.
//
//   node check-mermaid.mjs FILE.md [FILE.md...]
//
// Prints "FILE:LINE: mermaid block N: OK" for each block that parses, or the block's
// starting line and Mermaid's own message for one that does not.
//
// Exit status: 0 every block parses; 1 some block does not (or a block is never
// closed); 2 no file given, a file cannot be read, or a file has no mermaid block at
// all (a document expected to carry diagrams must not pass for having none).
// Nothing is fetched at run time: Mermaid comes from this folder's node_modules,
// installed by scripts/install-deps.
import { readFileSync } from 'node:fs';

const USAGE = 'usage: node check-mermaid.mjs FILE.md [FILE.md...]';

// A fence opens with three or more backticks or tildes (after at most a few spaces of
// indentation, more inside list items); its info string's first word names the
// language. Backtick fences may not carry a backtick in the info string (CommonMark).
const OPENING = /^( *)(`{3,}|~{3,})(.*)$/;
const CLOSING = /^ *(`{3,}|~{3,})[ \t]*$/;

// Every fenced block of a Markdown text, mermaid or not, so that a fence inside
// another language's block (an example of a guide, say) is not mistaken for a diagram.
function mermaidBlocks(text) {
  const lines = text.split(/\r?\n/);
  const blocks = [];
  let open = null;
  lines.forEach((line, i) => {
    if (open) {
      const close = CLOSING.exec(line);
      if (close && close[1][0] === open.fence[0] && close[1].length >= open.fence.length) {
        if (open.mermaid) blocks.push({ line: open.line, text: open.body.join('\n'), closed: true });
        open = null;
      } else if (open.mermaid) {
        // the fence's own indentation is not part of the diagram
        open.body.push(line.replace(new RegExp(`^ {0,${open.indent}}`), ''));
      }
      return;
    }
    const start = OPENING.exec(line);
    if (!start) return;
    const [, indent, fence, info] = start;
    if (fence[0] === '`' && info.includes('`')) return;
    const language = info.trim().split(/\s+/)[0].toLowerCase();
    open = { line: i + 1, fence, indent: indent.length, mermaid: language === 'mermaid', body: [] };
  });
  // CommonMark runs an unclosed fence to the end of the document; for a generated
  // document that is a bug worth failing on.
  if (open && open.mermaid) blocks.push({ line: open.line, text: open.body.join('\n'), closed: false });
  return blocks;
}

function indentRest(message) {
  return message.trimEnd().split('\n').join('\n    ');
}

async function loadMermaid() {
  // Mermaid sanitises labels with DOMPurify, which in Node only works when a window
  // exists when it is first imported: hence jsdom first, then Mermaid by dynamic
  // import (a static one would be evaluated before this assignment).
  const { JSDOM } = await import('jsdom');
  globalThis.window = new JSDOM('').window;
  const { default: mermaid } = await import('mermaid');
  mermaid.initialize({ startOnLoad: false, logLevel: 'fatal' });
  return mermaid;
}

async function main(files) {
  if (files.length === 0 || files.some((f) => f === '-h' || f === '--help')) {
    const help = files.length > 0;
    (help ? console.log : console.error)(USAGE);
    return help ? 0 : 2;
  }
  let mermaid;
  try {
    mermaid = await loadMermaid();
  } catch (e) {
    console.error(`check-mermaid: cannot load mermaid (${e.message.split('\n')[0]})`);
    console.error('check-mermaid: run scripts/install-deps, which runs npm ci in tests/support/mermaid');
    return 2;
  }

  let failed = false;
  let unusable = false;
  for (const file of files) {
    let text;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      console.error(`check-mermaid: cannot read ${file}: ${e.message}`);
      unusable = true;
      continue;
    }
    const blocks = mermaidBlocks(text);
    if (blocks.length === 0) {
      console.error(`${file}: no mermaid blocks found`);
      unusable = true;
      continue;
    }
    for (const [n, block] of blocks.entries()) {
      const where = `${file}:${block.line}: mermaid block ${n + 1}`;
      if (!block.closed) {
        console.error(`${where}: error: the block is never closed`);
        failed = true;
        continue;
      }
      try {
        await mermaid.parse(block.text);
        console.log(`${where}: OK`);
      } catch (e) {
        // Mermaid's line numbers count from the diagram's first line once front
        // matter, directives and %% comments are taken out, so they are passed on
        // as they are rather than turned into file lines that could be wrong.
        const message = e && e.message ? e.message : String(e);
        console.error(`${where}: error: ${indentRest(message)}`);
        failed = true;
      }
    }
  }
  if (unusable) return 2;
  return failed ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
