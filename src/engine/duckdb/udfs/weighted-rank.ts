/**
 * The weighted nearest-rank percentile of a sorted list of [value, weight] points: the first
 * value whose cumulative weight reaches p% of the total (p = 0 gives the smallest value).
 */
export function weightedPercentile(pointsJson: string, percent: number): number | null {
  const points = JSON.parse(pointsJson) as [number, number][];
  if (!Array.isArray(points) || points.length === 0 || !(percent >= 0 && percent <= 100)) return null;
  const total = points.reduce((sum, [, w]) => sum + w, 0);
  const target = (percent / 100) * total;
  let cumulative = 0;
  for (const [value, weight] of points) {
    cumulative += weight;
    if (cumulative >= target && weight > 0) return value;
  }
  return points[points.length - 1]![0];
}
