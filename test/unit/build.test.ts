import path from 'node:path';
import ts from 'typescript';

const root = path.resolve(__dirname, '../..');

/** Every file `npm run build` compiles: the roots of tsconfig.build.json and all they import. */
function productionFiles(): string[] {
  const configPath = path.join(root, 'tsconfig.build.json');
  const { config, error } = ts.readConfigFile(configPath, ts.sys.readFile);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, root, undefined, configPath);
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: { ...parsed.options, noEmit: true } });
  return program
    .getSourceFiles()
    .map((file) => path.relative(root, file.fileName))
    .filter((file) => !file.startsWith('..') && !file.includes('node_modules'));
}

describe('the production build (tsconfig.build.json)', () => {
  const files = productionFiles();

  it('compiles the app and its operator commands', () => {
    expect(files).toEqual(expect.arrayContaining(['src/main.ts', 'src/cli/migrate.ts', 'src/cli/roster.ts', 'src/cli/digest.ts']));
  });

  it('contains nothing from src/dev or src/sim, whether listed or imported (they build on dev dependencies)', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files.filter((file) => /^src\/(dev|sim)\//.test(file))).toEqual([]);
    expect(files.filter((file) => !file.startsWith('src/'))).toEqual([]);
  });
});
