// Starts any target by name.
import { startBareTarget } from './bare-target.ts';
import { startParleyTarget } from './parley-target.ts';
import type { Target, TargetName } from './target.ts';

export function startTarget(name: TargetName): Promise<Target> {
  return name === 'bare' ? startBareTarget() : startParleyTarget(name);
}
