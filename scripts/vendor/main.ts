// `postinstall` of the root package.json (pnpm install, CI, the compose images) and `pnpm dev`.
import { relative } from 'node:path';
import { ISP_CORE_LIB_DIR, vendorStaticLibs } from './static-libs';

vendorStaticLibs();
console.log(`static libraries copied to ${relative(process.cwd(), ISP_CORE_LIB_DIR)}`);
