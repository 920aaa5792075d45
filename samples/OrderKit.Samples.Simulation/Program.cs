// Thirty simulated days of a small shop on a fake clock: three warehouses, random demand, weekly restocks from the
// replenishment advisor, a carrier that is sometimes late, and returns. Prints the insights and writes a
// self-contained HTML report with charts. Arguments: [days] [seed] [report path].
using OrderKit.Samples.Simulation;

int days = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 30;
int seed = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 7;
string report = args.Length > 2 ? args[2] : "simulation-report.html";

SimulationResult result = await ShopSimulation.RunAsync(days, seed, Console.Out);
await File.WriteAllTextAsync(report, HtmlReport.Render(result));
Console.WriteLine($"Report: {Path.GetFullPath(report)}");
