import { LumioError } from '../errors/index.js';

/**
 * Reads a password from standard input without echoing it. On a terminal it prompts on
 * standard error and turns echo off; from a pipe it reads the first line.
 */
export async function readPassword(prompt: string, input: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stderr): Promise<string> {
  const password = input.isTTY ? await readFromTerminal(prompt, input, output) : await readFirstLine(input);
  if (password === '') {
    throw new LumioError('PASSWORD_MISSING', 'No password was given; type it at the prompt, pipe it on standard input, or set LUMIO_ADMIN_PASSWORD.', { status: 400, fault: 'caller' });
  }
  return password;
}

async function readFirstLine(input: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of input) {
    text += chunk.toString();
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

/** Raw mode delivers each key press without echo; Enter ends, Ctrl-C aborts and Backspace deletes. */
function readFromTerminal(prompt: string, input: NodeJS.ReadStream, output: NodeJS.WriteStream): Promise<string> {
  output.write(prompt);
  input.setRawMode(true);
  input.resume();

  return new Promise((resolve, reject) => {
    let password = '';

    const finish = (error?: Error) => {
      input.setRawMode(false);
      input.pause();
      input.off('data', onData);
      output.write('\n');
      if (error) reject(error);
      else resolve(password);
    };

    const onData = (chunk: Buffer) => {
      for (const character of chunk.toString('utf8')) {
        if (character === '\r' || character === '\n' || character === '\u0004') return finish();
        if (character === '\u0003') return finish(new LumioError('PASSWORD_MISSING', 'Password entry was cancelled.', { status: 400, fault: 'caller' }));
        if (character === '\u007f' || character === '\b') password = [...password].slice(0, -1).join('');
        else password += character;
      }
    };
    input.on('data', onData);
  });
}
