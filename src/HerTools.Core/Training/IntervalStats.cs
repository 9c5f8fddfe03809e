using HerTools.Core.Metrics;

namespace HerTools.Core.Training;

/// <summary>
/// What happened since the last <c>progress.csv</c> row: episodes ended, updates made, HER diagnostics.
/// Part of a checkpoint, so a resumed run writes exactly the rows the uninterrupted run would have.
/// </summary>
internal sealed class IntervalStats
{
    public int EpisodesEnded, Successes, Updates;
    public double ReturnSum, CriticLossSum, ActorLossSum, MeanQSum;
    // SAC's own figures: summed only over updates that report them.
    public int EntropyUpdates;
    public double EntropyCoefSum, ActorLogProbSum;
    public long SampledRows, RelabeledRows, ZeroRewardRows;
    public long StartTimesteps;
    public double StartWallTimeSeconds;

    public void AddEpisode(bool success, double episodeReturn)
    {
        EpisodesEnded++;
        if (success) Successes++;
        ReturnSum += episodeReturn;
    }

    public void AddUpdate(Agents.UpdateStats stats, int rows, int relabeled, int zeroReward)
    {
        Updates++;
        CriticLossSum += stats.CriticLoss; ActorLossSum += stats.ActorLoss; MeanQSum += stats.MeanQ;
        if (stats.EntropyCoef is float alpha && stats.ActorLogProb is float logProb)
        {
            EntropyUpdates++;
            EntropyCoefSum += alpha; ActorLogProbSum += logProb;
        }
        SampledRows += rows; RelabeledRows += relabeled; ZeroRewardRows += zeroReward;
    }

    public ProgressRow ToRow(int schemaVersion, string runId, ulong seed, string configHash, long timesteps, long episodes, long gradientSteps,
        double wallTimeSeconds, double? evalSuccessRate)
    {
        double seconds = wallTimeSeconds - StartWallTimeSeconds;
        return new ProgressRow
        {
            SchemaVersion = schemaVersion,
            RunId = runId, Seed = seed, ConfigHash = configHash,
            Timesteps = timesteps, Episodes = episodes, GradientSteps = gradientSteps,
            WallTimeSeconds = Math.Round(wallTimeSeconds, 3),
            StepsPerSecond = seconds > 0 ? Math.Round((timesteps - StartTimesteps) / seconds, 1) : 0,
            TrainSuccessRate = EpisodesEnded > 0 ? (double)Successes / EpisodesEnded : null,
            TrainReturn = EpisodesEnded > 0 ? ReturnSum / EpisodesEnded : null,
            ActorLoss = Updates > 0 ? ActorLossSum / Updates : null,
            CriticLoss = Updates > 0 ? CriticLossSum / Updates : null,
            MeanQ = Updates > 0 ? MeanQSum / Updates : null,
            RelabeledShare = SampledRows > 0 ? (double)RelabeledRows / SampledRows : null,
            Reward0Share = SampledRows > 0 ? (double)ZeroRewardRows / SampledRows : null,
            EvalSuccessRate = evalSuccessRate,
            EntropyCoef = EntropyUpdates > 0 ? EntropyCoefSum / EntropyUpdates : null,
            ActorLogProb = EntropyUpdates > 0 ? ActorLogProbSum / EntropyUpdates : null,
        };
    }

    public void Restart(long timesteps, double wallTimeSeconds)
    {
        EpisodesEnded = Successes = Updates = 0;
        ReturnSum = CriticLossSum = ActorLossSum = MeanQSum = 0;
        EntropyUpdates = 0;
        EntropyCoefSum = ActorLogProbSum = 0;
        SampledRows = RelabeledRows = ZeroRewardRows = 0;
        StartTimesteps = timesteps; StartWallTimeSeconds = wallTimeSeconds;
    }

    public void Write(BinaryWriter w)
    {
        w.Write(EpisodesEnded); w.Write(Successes); w.Write(Updates);
        w.Write(ReturnSum); w.Write(CriticLossSum); w.Write(ActorLossSum); w.Write(MeanQSum);
        w.Write(SampledRows); w.Write(RelabeledRows); w.Write(ZeroRewardRows);
        w.Write(StartTimesteps); w.Write(StartWallTimeSeconds);
        w.Write(EntropyUpdates); w.Write(EntropyCoefSum); w.Write(ActorLogProbSum);
    }

    /// <param name="r">The run state's reader.</param>
    /// <param name="stateVersion">The run state's format: version 1 (before SAC) has no entropy sums.</param>
    public void Read(BinaryReader r, int stateVersion)
    {
        EpisodesEnded = r.ReadInt32(); Successes = r.ReadInt32(); Updates = r.ReadInt32();
        ReturnSum = r.ReadDouble(); CriticLossSum = r.ReadDouble(); ActorLossSum = r.ReadDouble(); MeanQSum = r.ReadDouble();
        SampledRows = r.ReadInt64(); RelabeledRows = r.ReadInt64(); ZeroRewardRows = r.ReadInt64();
        StartTimesteps = r.ReadInt64(); StartWallTimeSeconds = r.ReadDouble();
        EntropyUpdates = 0; EntropyCoefSum = ActorLogProbSum = 0;
        if (stateVersion >= 2) { EntropyUpdates = r.ReadInt32(); EntropyCoefSum = r.ReadDouble(); ActorLogProbSum = r.ReadDouble(); }
    }
}
