// Reads a container's own structure (see containerFacts.ts) for the containers that have a parser.
import type { ByteReader } from './byteReader';
import { NO_FACTS, type ContainerFacts } from './containerFacts';
import type { Container } from './fileSniff';
import { mp4Facts } from './mp4Facts';
import { webmFacts } from './webmFacts';

export async function containerFacts(r: ByteReader, container: Container | null): Promise<ContainerFacts> {
  if (container === 'mp4/quicktime') return mp4Facts(r);
  if (container === 'webm/matroska') return webmFacts(r);
  return NO_FACTS;
}
