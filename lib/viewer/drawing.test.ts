import { describe, expect, it } from 'vitest';
import { chooseDrawing } from './drawing';

const gl = { forced: null, webgl: true, softwareRasterizer: false, devicePixelRatio: 1 };

describe('where the viewer draws', () => {
  it('with a GPU: WebGL, whatever the screen', () => {
    expect(chooseDrawing(gl)).toEqual({ drawing: 'gpu', forced: false });
    expect(chooseDrawing({ ...gl, devicePixelRatio: 2 }).drawing).toBe('gpu');
  });

  it('WebGL drawn in software: the CPU, at a device pixel ratio of 1 only', () => {
    expect(chooseDrawing({ ...gl, softwareRasterizer: true })).toEqual({ drawing: 'cpu', forced: false });
    expect(chooseDrawing({ ...gl, softwareRasterizer: true, devicePixelRatio: 1.25 }).drawing).toBe('gpu');
    expect(chooseDrawing({ ...gl, softwareRasterizer: true, devicePixelRatio: 2 }).drawing).toBe('gpu');
  });

  it('no WebGL at all: the CPU, for good', () => {
    expect(chooseDrawing({ ...gl, webgl: false, devicePixelRatio: 2 })).toEqual({ drawing: 'cpu', forced: true });
  });

  it('the support switch wins', () => {
    expect(chooseDrawing({ ...gl, forced: 'cpu' })).toEqual({ drawing: 'cpu', forced: true });
    expect(chooseDrawing({ ...gl, softwareRasterizer: true, forced: 'gpu' })).toEqual({ drawing: 'gpu', forced: true });
    expect(chooseDrawing({ ...gl, softwareRasterizer: true, forced: 'nonsense' }).drawing).toBe('cpu');
  });
});
