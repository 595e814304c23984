export function dashboardFiles(): Record<string, string> {
  return {};
}
