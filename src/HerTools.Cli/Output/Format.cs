using System.Globalization;

namespace HerTools.Cli.Output;

/// <summary>Number and time formats shared by the human-readable outputs (invariant culture: logs are compared across machines).</summary>
internal static class Format
{
    public static string Rate(double? rate) => rate is double r ? r.ToString("0.00", CultureInfo.InvariantCulture) : "-";

    public static string Number(double value, string format = "0.###") => value.ToString(format, CultureInfo.InvariantCulture);

    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => Number(bytes / 1024.0, "0.0") + " KiB",
        < 1024L * 1024 * 1024 => Number(bytes / (1024.0 * 1024), "0.0") + " MiB",
        _ => Number(bytes / (1024.0 * 1024 * 1024), "0.00") + " GiB",
    };

    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.Zero) span = TimeSpan.Zero;
        return span.TotalHours >= 1
            ? $"{(int)span.TotalHours}:{span.Minutes:00}:{span.Seconds:00}"
            : $"{span.Minutes}:{span.Seconds:00}";
    }
}
