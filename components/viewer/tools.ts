// The viewer's tool group: the tools every pane offers, the measurement
// labels they draw, and which mouse button or finger count starts which tool.
import { Enums as ToolEnums, ToolGroupManager, type Types as ToolTypes } from '@cornerstonejs/tools';

export type ToolId = 'WindowLevel' | 'Pan' | 'Zoom' | 'StackScroll' | 'Length' | 'Angle' | 'RectangleROI' | 'EllipticalROI' | 'PlanarRotate';
export type StatsLabels = { area: string; mean: string; sd: string };

const TOOLS: ToolId[] = ['WindowLevel', 'Pan', 'Zoom', 'StackScroll', 'Length', 'Angle', 'RectangleROI', 'EllipticalROI', 'PlanarRotate'];
const MEASURE_TOOLS: ToolId[] = ['Length', 'Angle', 'RectangleROI', 'EllipticalROI'];
const round = (n: number) => (Math.abs(n) >= 100 ? Math.round(n) : Math.round(n * 10) / 10);

/** The tool group with every tool; area statistics labelled in the language `labels` gives when they are drawn. */
export function createToolGroup(id: string, labels: () => StatsLabels) {
  const tg = ToolGroupManager.createToolGroup(id)!;
  const textLines = (data: { cachedStats: Record<string, Record<string, unknown>> }, targetId: string) => {
    const s = data.cachedStats?.[targetId] ?? {};
    const stats = labels();
    const unit = (s.modalityUnit as string) ?? '';
    const lines: string[] = [];
    if (typeof s.area === 'number') lines.push(`${stats.area}: ${round(s.area)} ${s.areaUnit ?? ''}`.trim());
    if (typeof s.mean === 'number') lines.push(`${stats.mean}: ${round(s.mean)} ${unit}`.trim());
    if (typeof s.stdDev === 'number') lines.push(`${stats.sd}: ${round(s.stdDev)} ${unit}`.trim());
    return lines;
  };
  for (const name of ['WindowLevel', 'Pan', 'Zoom', 'StackScroll', 'Length', 'Angle', 'PlanarRotate']) tg.addTool(name);
  tg.addTool('RectangleROI', { getTextLines: textLines });
  tg.addTool('EllipticalROI', { getTextLines: textLines });
  return tg;
}

/** The chosen tool on the primary button (one finger); pan, zoom and scrolling always on the other buttons and fingers. */
export function bindTools(id: string, primary: ToolId) {
  const tg = ToolGroupManager.getToolGroup(id);
  if (!tg) return;
  const { MouseBindings } = ToolEnums;
  for (const name of TOOLS) {
    // Measurements stay visible (passive) when another tool is chosen.
    if (MEASURE_TOOLS.includes(name)) tg.setToolPassive(name);
    else tg.setToolDisabled(name);
  }
  const bindings: Partial<Record<ToolId, ToolTypes.IToolBinding[]>> = {
    Pan: [{ mouseButton: MouseBindings.Auxiliary }, { numTouchPoints: 3 }],
    Zoom: [{ mouseButton: MouseBindings.Secondary }, { numTouchPoints: 2 }],
    StackScroll: [{ mouseButton: MouseBindings.Wheel }],
  };
  bindings[primary] = [...(bindings[primary] ?? []), { mouseButton: MouseBindings.Primary }];
  for (const [name, b] of Object.entries(bindings)) tg.setToolActive(name, { bindings: b });
}
