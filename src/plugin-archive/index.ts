export { extractArchive } from './extract-archive';
export { errorsIn, formatFinding, type Finding } from './finding';
export { checkManifest, componentFolderName } from './manifest-rules';
export { verifyArchive } from './verify-archive';
