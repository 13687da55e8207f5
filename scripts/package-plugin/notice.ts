import type { LibPackage } from './lib-packages';

const RULE = '='.repeat(80);

/** doc/NOTICE: our copyright, then every package in lib/ with where it is and its licence text. */
export function noticeText(subject: { name: string; version: string; year: string; holder: string }, packages: readonly LibPackage[]): string {
  const bundled = packages.filter((p) => !p.location.includes('node_modules'));
  const out = [
    `${subject.name} ${subject.version}`,
    `Copyright ${subject.year} ${subject.holder}`,
    'Licensed under the Apache License, Version 2.0 (see LICENSE).',
    '',
    `lib/ contains third-party software, each part under its own licence: ${bundled.length} npm packages bundled into one file,`,
    `and ${packages.length - bundled.length} copied as packages into lib/node_modules. Each is listed below with its licence text.`,
    '',
  ];
  for (const p of packages) {
    out.push(RULE, `${p.name} ${p.version} (${p.license}), in ${p.location}`, RULE, '');
    out.push(p.licenseText?.replace(/\r\n/g, '\n').trimEnd() ?? `The package ships no licence file; its package.json declares the licence ${p.license}.`, '');
  }
  return out.join('\n');
}
