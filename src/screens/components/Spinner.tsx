import { Text } from 'ink';
import { useSyncExternalStore } from 'react';
import { toneColor, type Tone } from './theme.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'] as const;
const FRAME_MS = 80;

/** One shared clock for every spinner on screen: one timer, and it stops when none is shown. */
let frame = 0;
let timer: ReturnType<typeof setInterval> | undefined;
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (timer === undefined) {
    timer = setInterval(() => {
      frame = (frame + 1) % FRAMES.length;
      for (const notify of listeners) notify();
    }, FRAME_MS);
    timer.unref?.();
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

const currentFrame = () => frame;

export function Spinner({ tone = 'accent' }: { tone?: Tone }) {
  const index = useSyncExternalStore(subscribe, currentFrame, currentFrame);
  return <Text color={toneColor[tone]}>{FRAMES[index]}</Text>;
}
