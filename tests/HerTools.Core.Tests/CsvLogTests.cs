using HerTools.Core.Metrics;

namespace HerTools.Core.Tests;

public class CsvLogTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"hertools-csv-{Guid.NewGuid():N}.csv");

    public void Dispose() => File.Delete(_path);

    private static EvalRow Row(long t) => new() { Timesteps = t, Episodes = t / 10, SuccessRate = 0.5, MeanReturn = -10, MeanFinalDistance = 0.25 };

    [Fact]
    public void Rows_are_appended_and_read_back()
    {
        using (var log = new CsvLog<EvalRow>(_path)) { log.Append(Row(100)); log.Append(Row(200)); }
        using (var log = new CsvLog<EvalRow>(_path)) log.Append(Row(300));
        Assert.Equal([Row(100), Row(200), Row(300)], CsvLog<EvalRow>.ReadAll(_path));
        Assert.StartsWith("timesteps,episodes,success_rate,mean_return,mean_final_distance\n", File.ReadAllText(_path));
    }

    [Fact]
    public void A_torn_last_row_is_cut_when_the_log_is_opened_again()
    {
        using (var log = new CsvLog<EvalRow>(_path)) log.Append(Row(100));
        File.AppendAllText(_path, "200,20,0.5,-1");
        Assert.Single(CsvLog<EvalRow>.ReadAll(_path));
        using (var log = new CsvLog<EvalRow>(_path)) log.Append(Row(300));
        Assert.Equal([Row(100), Row(300)], CsvLog<EvalRow>.ReadAll(_path));
    }

    [Fact]
    public void A_header_torn_by_a_kill_is_replaced()
    {
        File.WriteAllText(_path, "timesteps,epis");
        using (var log = new CsvLog<EvalRow>(_path)) log.Append(Row(100));
        Assert.Equal([Row(100)], CsvLog<EvalRow>.ReadAll(_path));
    }

    [Fact]
    public void CutAfter_drops_the_rows_past_the_last_kept_one()
    {
        using (var log = new CsvLog<EvalRow>(_path)) foreach (long t in new long[] { 100, 200, 300, 400 }) log.Append(Row(t));
        File.AppendAllText(_path, "500,5");
        CsvLog<EvalRow>.CutAfter(_path, r => r.Timesteps <= 200);
        Assert.Equal([Row(100), Row(200)], CsvLog<EvalRow>.ReadAll(_path));
        Assert.EndsWith("\n", File.ReadAllText(_path));
    }

    [Fact]
    public void A_log_of_another_schema_is_refused_and_left_exactly_as_it_was()
    {
        string foreign = "timesteps,success_rate\n100,0.5\n200,0.7\n";
        File.WriteAllText(_path, foreign);
        var cut = Assert.Throws<MetricsFormatException>(() => CsvLog<EvalRow>.CutAfter(_path, r => r.Timesteps <= 100));
        Assert.Contains(_path, cut.Message);
        var open = Assert.Throws<MetricsFormatException>(() => new CsvLog<EvalRow>(_path));
        Assert.Contains("header", open.Message);
        Assert.Equal(foreign, File.ReadAllText(_path));
    }

    [Fact]
    public void CutAfter_refuses_an_unreadable_row_in_the_middle_without_cutting()
    {
        using (var log = new CsvLog<EvalRow>(_path)) { log.Append(Row(100)); }
        File.AppendAllText(_path, "garbage,row,x,y,z\n200,20,0.5,-10,0.25\n");
        string before = File.ReadAllText(_path);
        Assert.Throws<MetricsFormatException>(() => CsvLog<EvalRow>.CutAfter(_path, r => r.Timesteps <= 100));
        Assert.Equal(before, File.ReadAllText(_path));
    }
}
