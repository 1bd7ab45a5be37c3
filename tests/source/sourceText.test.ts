import { describe, expect, it } from 'vitest';
import { clause, compositingFallbackMessage } from '../../src/engine/messages';
import { containerWithArticle, plainBrowserReason, playbackDamagedText, truncatedNote, withArticle } from '../../src/source/sourceText';

describe('source messages', () => {
  it('articles follow the spoken name: an image/png, an AVI, an MP4, a WebM', () => {
    expect(withArticle('image/png')).toBe('an image/png');
    expect(withArticle('video/x-msvideo')).toBe('a video/x-msvideo');
    expect(containerWithArticle('avi')).toBe('an AVI');
    expect(containerWithArticle('mp4/quicktime')).toBe('an MP4/QuickTime');
    expect(containerWithArticle('webm/matroska')).toBe('a WebM/Matroska');
  });

  it('raw browser codes never reach the user', () => {
    expect(plainBrowserReason('PipelineStatus::DEMUXER_ERROR_COULD_NOT_OPEN: FFmpegDemuxer: open context failed')).toBe('the browser could not read the file structure');
    expect(plainBrowserReason('PipelineStatus::PIPELINE_ERROR_DECODE: video decode error!')).toBe('the video data could not be decoded');
    expect(plainBrowserReason('SOMETHING_NEW: internal')).toBeNull();
    const text = playbackDamagedText('a.mp4', 0.72, 'PipelineStatus::PIPELINE_ERROR_DECODE: video decode error!');
    expect(text).not.toMatch(/PipelineStatus|PIPELINE_|::/);
    expect(text).toContain('stopped at 0.7 s');
    expect(text).toContain('Play and Step are off');
  });

  it('a truncated file says how much of it can play', () => {
    const facts = { truncated: true, indexMissing: false, codec: 'V_VP9', declaredSeconds: 10, playableSeconds: 2.5 };
    expect(truncatedNote('clip.webm', facts)).toBe('"clip.webm" is truncated: only the first 2.5 s of its 10.0 s can play (the file ends early; frames after that are missing).');
    expect(truncatedNote('clip.webm', { ...facts, truncated: false })).toBeNull();
  });

  it('a quoted reason loses its own full stop: no ".:" in a sentence', () => {
    expect(clause('A valid external Instance reference no longer exists. ')).toBe('A valid external Instance reference no longer exists');
    expect(compositingFallbackMessage('A valid external Instance reference no longer exists.').text).toContain('no longer exists: overlays');
  });
});
