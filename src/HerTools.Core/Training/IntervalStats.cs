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

    /// <summary>Restores what <see cref="Write"/> wrote for a run at <paramref name="timesteps"/>: counts not negative
    /// and consistent, sums finite, the interval's start not after the run's position.</summary>
    /// <param name="r">The run state's reader.</param>
    /// <param name="timesteps">The run's position, read before.</param>
    /// <param name="wallTimeSeconds">The run's training time, read before: the interval cannot have started later.</param>
    /// <param name="hasEntropySums">Whether the run state's format has the entropy sums (those written before SAC do not).</param>
    /// <param name="sac">Whether the run's learner is SAC: only SAC's updates report entropy figures.</param>
    public void Read(BinaryReader r, long timesteps, double wallTimeSeconds, bool hasEntropySums, bool sac)
    {
        EpisodesEnded = SavedStateException.ReadInt32(r, "interval episodes", 0, int.MaxValue);
        Successes = SavedStateException.ReadInt32(r, "interval successes", 0, EpisodesEnded);
        Updates = SavedStateException.ReadInt32(r, "interval updates", 0, int.MaxValue);
        ReturnSum = SavedStateException.ReadDouble(r, "interval return sum"); CriticLossSum = SavedStateException.ReadDouble(r, "interval critic loss sum");
        ActorLossSum = SavedStateException.ReadDouble(r, "interval actor loss sum"); MeanQSum = SavedStateException.ReadDouble(r, "interval Q sum");
        SampledRows = SavedStateException.ReadInt64(r, "interval sampled rows", 0, long.MaxValue);
        RelabeledRows = SavedStateException.ReadInt64(r, "interval relabeled rows", 0, SampledRows);
        ZeroRewardRows = SavedStateException.ReadInt64(r, "interval zero-reward rows", 0, SampledRows);
        StartTimesteps = SavedStateException.ReadInt64(r, "interval start", 0, timesteps);
        StartWallTimeSeconds = SavedStateException.ReadDouble(r, "interval start time", 0, wallTimeSeconds);
        EntropyUpdates = 0; EntropyCoefSum = ActorLogProbSum = 0;
        if (!hasEntropySums) return;
        // Every SAC update reports both figures and no other learner's does.
        EntropyUpdates = SavedStateException.ReadInt32(r, "interval entropy updates", sac ? Updates : 0, sac ? Updates : 0);
        EntropyCoefSum = SavedStateException.ReadDouble(r, "interval entropy coefficient sum", 0);
        ActorLogProbSum = SavedStateException.ReadDouble(r, "interval actor log-probability sum");
    }
}
