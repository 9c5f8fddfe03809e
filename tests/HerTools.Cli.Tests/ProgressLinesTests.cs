using HerTools.Cli.Output;
using HerTools.Core.Training;

namespace HerTools.Cli.Tests;

public class ProgressLinesTests
{
    private static TrainingProgress At(long timesteps, double? eval = null, string? message = null) =>
        new(timesteps, 3000, timesteps / 50, StepsPerSecond: 500, TrainSuccessRate: 0.25, LastEvalSuccessRate: eval,
            Elapsed: TimeSpan.FromSeconds(timesteps / 500.0), Remaining: TimeSpan.FromSeconds((3000 - timesteps) / 500.0), message);

    [Fact]
    public void A_report_reads_steps_speed_success_and_eta()
    {
        Assert.Equal("1,000/3,000 steps (33%)  500 steps/s  success 0.25 (train)  ETA 0:04", ProgressText.Describe(At(1000)));
        Assert.Equal("1,500/3,000 steps (50%)  500 steps/s  success 0.85 (eval)  ETA 0:03  evaluating",
            ProgressText.Describe(At(1500, eval: 0.85, message: "evaluating")));
    }

    [Fact]
    public void Reports_closer_than_the_interval_are_dropped_unless_they_carry_a_message_or_end_the_run()
    {
        var output = new StringWriter();
        var now = TimeSpan.Zero;
        var lines = new ProgressLines(output, TimeSpan.FromSeconds(1), () => now);

        lines.Report(At(250));                      // first: printed
        now = TimeSpan.FromSeconds(0.5);
        lines.Report(At(500));                      // too soon: dropped
        lines.Report(At(750, message: "checkpoint")); // message: printed
        now = TimeSpan.FromSeconds(1.6);
        lines.Report(At(1000));                     // a second after the last printed: printed
        now = TimeSpan.FromSeconds(1.7);
        lines.Report(At(3000));                     // the end: printed
        lines.Report(At(3000));                     // the end again, nothing new: dropped
        lines.Report(At(3000, message: "done"));    // message: printed

        string[] printed = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["250/", "750/", "1,000/", "3,000/", "3,000/"], printed.Select(l => l[..(l.IndexOf('/') + 1)]));
        Assert.EndsWith("checkpoint", printed[1]);
        Assert.EndsWith("done", printed[4]);
    }

    [Fact]
    public void The_progress_bar_redraws_one_line_in_place_and_ends_it_when_finished()
    {
        var output = new StringWriter();
        var bar = new ProgressBar(output, lineWidth: 200);
        bar.Report(At(1500, eval: 0.5));
        bar.Report(At(3000, eval: 0.75));
        bar.Finish();
        string text = output.ToString();
        Assert.StartsWith("\r[############------------] 1,500/3,000 steps (50%)", text);
        Assert.Contains("\r[########################] 3,000/3,000 steps (100%)", text);
        Assert.Equal(1, text.Count(c => c == '\n'));
        Assert.EndsWith("\n", text.ReplaceLineEndings("\n"));
    }
}
