// Types that break (Uses*) and keep (MayUse*) each arrow of the architecture, one per pair of namespaces, laid out like
// HerTools.Core's namespaces under a root of their own. ArchitectureTests runs its rules over them to show that every
// forbidden edge is caught and no allowed one is. Generated from the rule table; nothing else uses these types.
#pragma warning disable CS0649, CS0169 // fields only declared, never used: the reference is the point

namespace HerTools.Cli.Tests.ArchitectureFixture.Randomness
{
    public sealed class Marker { }
    public sealed class UsesScalars { private HerTools.Cli.Tests.ArchitectureFixture.Scalars.Marker? _reference; }
    public sealed class UsesEnvs { private HerTools.Cli.Tests.ArchitectureFixture.Envs.Marker? _reference; }
    public sealed class UsesReplay { private HerTools.Cli.Tests.ArchitectureFixture.Replay.Marker? _reference; }
    public sealed class UsesAgents { private HerTools.Cli.Tests.ArchitectureFixture.Agents.Marker? _reference; }
    public sealed class UsesConfig { private HerTools.Cli.Tests.ArchitectureFixture.Config.Marker? _reference; }
    public sealed class UsesMetrics { private HerTools.Cli.Tests.ArchitectureFixture.Metrics.Marker? _reference; }
    public sealed class UsesCheckpoints { private HerTools.Cli.Tests.ArchitectureFixture.Checkpoints.Marker? _reference; }
    public sealed class UsesRuns { private HerTools.Cli.Tests.ArchitectureFixture.Runs.Marker? _reference; }
    public sealed class UsesTraining { private HerTools.Cli.Tests.ArchitectureFixture.Training.Marker? _reference; }
    public sealed class UsesSweeps { private HerTools.Cli.Tests.ArchitectureFixture.Sweeps.Marker? _reference; }
}

namespace HerTools.Cli.Tests.ArchitectureFixture.Scalars
{
    public sealed class Marker { }
    public sealed class UsesRandomness { private HerTools.Cli.Tests.ArchitectureFixture.Randomness.Marker? _reference; }
    public sealed class UsesEnvs { private HerTools.Cli.Tests.ArchitectureFixture.Envs.Marker? _reference; }
    public sealed class UsesReplay { private HerTools.Cli.Tests.ArchitectureFixture.Replay.Marker? _reference; }
    public sealed class UsesAgents { private HerTools.Cli.Tests.ArchitectureFixture.Agents.Marker? _reference; }
    public sealed class UsesConfig { private HerTools.Cli.Tests.ArchitectureFixture.Config.Marker? _reference; }
    public sealed class UsesMetrics { private HerTools.Cli.Tests.ArchitectureFixture.Metrics.Marker? _reference; }
    public sealed class UsesCheckpoints { private HerTools.Cli.Tests.ArchitectureFixture.Checkpoints.Marker? _reference; }
    public sealed class UsesRuns { private HerTools.Cli.Tests.ArchitectureFixture.Runs.Marker? _reference; }
    public sealed class UsesTraining { private HerTools.Cli.Tests.ArchitectureFixture.Training.Marker? _reference; }
    public sealed class UsesSweeps { private HerTools.Cli.Tests.ArchitectureFixture.Sweeps.Marker? _reference; }
}

namespace HerTools.Cli.Tests.ArchitectureFixture.Envs
{
    public sealed class Marker { }
    public sealed class MayUseRandomness { private HerTools.Cli.Tests.ArchitectureFixture.Randomness.Marker? _reference; }
    public sealed class MayUseScalars { private HerTools.Cli.Tests.ArchitectureFixture.Scalars.Marker? _reference; }
    public sealed class UsesReplay { private HerTools.Cli.Tests.ArchitectureFixture.Replay.Marker? _reference; }
    public sealed class UsesAgents { private HerTools.Cli.Tests.ArchitectureFixture.Agents.Marker? _reference; }
    public sealed class UsesConfig { private HerTools.Cli.Tests.ArchitectureFixture.Config.Marker? _reference; }
    public sealed class UsesMetrics { private HerTools.Cli.Tests.ArchitectureFixture.Metrics.Marker? _reference; }
    public sealed class UsesCheckpoints { private HerTools.Cli.Tests.ArchitectureFixture.Checkpoints.Marker? _reference; }
    public sealed class UsesRuns { private HerTools.Cli.Tests.ArchitectureFixture.Runs.Marker? _reference; }
    public sealed class UsesTraining { private HerTools.Cli.Tests.ArchitectureFixture.Training.Marker? _reference; }
    public sealed class UsesSweeps { private HerTools.Cli.Tests.ArchitectureFixture.Sweeps.Marker? _reference; }
}

namespace HerTools.Cli.Tests.ArchitectureFixture.Replay
{
    public sealed class Marker { }
    public sealed class MayUseRandomness { private HerTools.Cli.Tests.ArchitectureFixture.Randomness.Marker? _reference; }
    public sealed class MayUseScalars { private HerTools.Cli.Tests.ArchitectureFixture.Scalars.Marker? _reference; }
    public sealed class MayUseEnvs { private HerTools.Cli.Tests.ArchitectureFixture.Envs.Marker? _reference; }
    public sealed class UsesAgents { private HerTools.Cli.Tests.ArchitectureFixture.Agents.Marker? _reference; }
    public sealed class UsesConfig { private HerTools.Cli.Tests.ArchitectureFixture.Config.Marker? _reference; }
    public sealed class UsesMetrics { private HerTools.Cli.Tests.ArchitectureFixture.Metrics.Marker? _reference; }
    public sealed class MayUseCheckpoints { private HerTools.Cli.Tests.ArchitectureFixture.Checkpoints.Marker? _reference; }
    public sealed class UsesRuns { private HerTools.Cli.Tests.ArchitectureFixture.Runs.Marker? _reference; }
    public sealed class UsesTraining { private HerTools.Cli.Tests.ArchitectureFixture.Training.Marker? _reference; }
    public sealed class UsesSweeps { private HerTools.Cli.Tests.ArchitectureFixture.Sweeps.Marker? _reference; }
}

namespace HerTools.Cli.Tests.ArchitectureFixture.Agents
{
    public sealed class Marker { }
    public sealed class MayUseRandomness { private HerTools.Cli.Tests.ArchitectureFixture.Randomness.Marker? _reference; }
    public sealed class MayUseScalars { private HerTools.Cli.Tests.ArchitectureFixture.Scalars.Marker? _reference; }
    public sealed class MayUseEnvs { private HerTools.Cli.Tests.ArchitectureFixture.Envs.Marker? _reference; }
    public sealed class MayUseReplay { private HerTools.Cli.Tests.ArchitectureFixture.Replay.Marker? _reference; }
    public sealed class UsesConfig { private HerTools.Cli.Tests.ArchitectureFixture.Config.Marker? _reference; }
    public sealed class UsesMetrics { private HerTools.Cli.Tests.ArchitectureFixture.Metrics.Marker? _reference; }
    public sealed class MayUseCheckpoints { private HerTools.Cli.Tests.ArchitectureFixture.Checkpoints.Marker? _reference; }
    public sealed class UsesRuns { private HerTools.Cli.Tests.ArchitectureFixture.Runs.Marker? _reference; }
    public sealed class UsesTraining { private HerTools.Cli.Tests.ArchitectureFixture.Training.Marker? _reference; }
    public sealed class UsesSweeps { private HerTools.Cli.Tests.ArchitectureFixture.Sweeps.Marker? _reference; }
}

namespace HerTools.Cli.Tests.ArchitectureFixture.Config
{
    public sealed class Marker { }
    public sealed class MayUseRandomness { private HerTools.Cli.Tests.ArchitectureFixture.Randomness.Marker? _reference; }
    public sealed class MayUseScalars { private HerTools.Cli.Tests.ArchitectureFixture.Scalars.Marker? _reference; }
    public sealed class MayUseEnvs { private HerTools.Cli.Tests.ArchitectureFixture.Envs.Marker? _reference; }
    public sealed class UsesReplay { private HerTools.Cli.Tests.ArchitectureFixture.Replay.Marker? _reference; }
    public sealed class UsesAgents { private HerTools.Cli.Tests.ArchitectureFixture.Agents.Marker? _reference; }
    public sealed class UsesMetrics { private HerTools.Cli.Tests.ArchitectureFixture.Metrics.Marker? _reference; }
    public sealed class UsesCheckpoints { private HerTools.Cli.Tests.ArchitectureFixture.Checkpoints.Marker? _reference; }
    public sealed class UsesRuns { private HerTools.Cli.Tests.ArchitectureFixture.Runs.Marker? _reference; }
    public sealed class UsesTraining { private HerTools.Cli.Tests.ArchitectureFixture.Training.Marker? _reference; }
    public sealed class UsesSweeps { private HerTools.Cli.Tests.ArchitectureFixture.Sweeps.Marker? _reference; }
}

namespace HerTools.Cli.Tests.ArchitectureFixture.Metrics
{
    public sealed class Marker { }
    public sealed class MayUseRandomness { private HerTools.Cli.Tests.ArchitectureFixture.Randomness.Marker? _reference; }
    public sealed class MayUseScalars { private HerTools.Cli.Tests.ArchitectureFixture.Scalars.Marker? _reference; }
    public sealed class UsesEnvs { private HerTools.Cli.Tests.ArchitectureFixture.Envs.Marker? _reference; }
    public sealed class UsesReplay { private HerTools.Cli.Tests.ArchitectureFixture.Replay.Marker? _reference; }
    public sealed class UsesAgents { private HerTools.Cli.Tests.ArchitectureFixture.Agents.Marker? _reference; }
    public sealed class UsesConfig { private HerTools.Cli.Tests.ArchitectureFixture.Config.Marker? _reference; }
    public sealed class UsesCheckpoints { private HerTools.Cli.Tests.ArchitectureFixture.Checkpoints.Marker? _reference; }
    public sealed class UsesRuns { private HerTools.Cli.Tests.ArchitectureFixture.Runs.Marker? _reference; }
    public sealed class UsesTraining { private HerTools.Cli.Tests.ArchitectureFixture.Training.Marker? _reference; }
    public sealed class UsesSweeps { private HerTools.Cli.Tests.ArchitectureFixture.Sweeps.Marker? _reference; }
}

namespace HerTools.Cli.Tests.ArchitectureFixture.Checkpoints
{
    public sealed class Marker { }
    public sealed class MayUseRandomness { private HerTools.Cli.Tests.ArchitectureFixture.Randomness.Marker? _reference; }
    public sealed class MayUseScalars { private HerTools.Cli.Tests.ArchitectureFixture.Scalars.Marker? _reference; }
    public sealed class UsesEnvs { private HerTools.Cli.Tests.ArchitectureFixture.Envs.Marker? _reference; }
    public sealed class UsesReplay { private HerTools.Cli.Tests.ArchitectureFixture.Replay.Marker? _reference; }
    public sealed class UsesAgents { private HerTools.Cli.Tests.ArchitectureFixture.Agents.Marker? _reference; }
    public sealed class UsesConfig { private HerTools.Cli.Tests.ArchitectureFixture.Config.Marker? _reference; }
    public sealed class MayUseMetrics { private HerTools.Cli.Tests.ArchitectureFixture.Metrics.Marker? _reference; }
    public sealed class UsesRuns { private HerTools.Cli.Tests.ArchitectureFixture.Runs.Marker? _reference; }
    public sealed class UsesTraining { private HerTools.Cli.Tests.ArchitectureFixture.Training.Marker? _reference; }
    public sealed class UsesSweeps { private HerTools.Cli.Tests.ArchitectureFixture.Sweeps.Marker? _reference; }
}

namespace HerTools.Cli.Tests.ArchitectureFixture.Runs
{
    public sealed class Marker { }
    public sealed class MayUseRandomness { private HerTools.Cli.Tests.ArchitectureFixture.Randomness.Marker? _reference; }
    public sealed class MayUseScalars { private HerTools.Cli.Tests.ArchitectureFixture.Scalars.Marker? _reference; }
    public sealed class UsesEnvs { private HerTools.Cli.Tests.ArchitectureFixture.Envs.Marker? _reference; }
    public sealed class UsesReplay { private HerTools.Cli.Tests.ArchitectureFixture.Replay.Marker? _reference; }
    public sealed class UsesAgents { private HerTools.Cli.Tests.ArchitectureFixture.Agents.Marker? _reference; }
    public sealed class MayUseConfig { private HerTools.Cli.Tests.ArchitectureFixture.Config.Marker? _reference; }
    public sealed class MayUseMetrics { private HerTools.Cli.Tests.ArchitectureFixture.Metrics.Marker? _reference; }
    public sealed class MayUseCheckpoints { private HerTools.Cli.Tests.ArchitectureFixture.Checkpoints.Marker? _reference; }
    public sealed class UsesTraining { private HerTools.Cli.Tests.ArchitectureFixture.Training.Marker? _reference; }
    public sealed class UsesSweeps { private HerTools.Cli.Tests.ArchitectureFixture.Sweeps.Marker? _reference; }
}

namespace HerTools.Cli.Tests.ArchitectureFixture.Training
{
    public sealed class Marker { }
    public sealed class MayUseRandomness { private HerTools.Cli.Tests.ArchitectureFixture.Randomness.Marker? _reference; }
    public sealed class MayUseScalars { private HerTools.Cli.Tests.ArchitectureFixture.Scalars.Marker? _reference; }
    public sealed class MayUseEnvs { private HerTools.Cli.Tests.ArchitectureFixture.Envs.Marker? _reference; }
    public sealed class MayUseReplay { private HerTools.Cli.Tests.ArchitectureFixture.Replay.Marker? _reference; }
    public sealed class MayUseAgents { private HerTools.Cli.Tests.ArchitectureFixture.Agents.Marker? _reference; }
    public sealed class MayUseConfig { private HerTools.Cli.Tests.ArchitectureFixture.Config.Marker? _reference; }
    public sealed class MayUseMetrics { private HerTools.Cli.Tests.ArchitectureFixture.Metrics.Marker? _reference; }
    public sealed class MayUseCheckpoints { private HerTools.Cli.Tests.ArchitectureFixture.Checkpoints.Marker? _reference; }
    public sealed class MayUseRuns { private HerTools.Cli.Tests.ArchitectureFixture.Runs.Marker? _reference; }
    public sealed class UsesSweeps { private HerTools.Cli.Tests.ArchitectureFixture.Sweeps.Marker? _reference; }
}

namespace HerTools.Cli.Tests.ArchitectureFixture.Sweeps
{
    public sealed class Marker { }
    public sealed class MayUseRandomness { private HerTools.Cli.Tests.ArchitectureFixture.Randomness.Marker? _reference; }
    public sealed class MayUseScalars { private HerTools.Cli.Tests.ArchitectureFixture.Scalars.Marker? _reference; }
    public sealed class MayUseEnvs { private HerTools.Cli.Tests.ArchitectureFixture.Envs.Marker? _reference; }
    public sealed class MayUseReplay { private HerTools.Cli.Tests.ArchitectureFixture.Replay.Marker? _reference; }
    public sealed class MayUseAgents { private HerTools.Cli.Tests.ArchitectureFixture.Agents.Marker? _reference; }
    public sealed class MayUseConfig { private HerTools.Cli.Tests.ArchitectureFixture.Config.Marker? _reference; }
    public sealed class MayUseMetrics { private HerTools.Cli.Tests.ArchitectureFixture.Metrics.Marker? _reference; }
    public sealed class MayUseCheckpoints { private HerTools.Cli.Tests.ArchitectureFixture.Checkpoints.Marker? _reference; }
    public sealed class MayUseRuns { private HerTools.Cli.Tests.ArchitectureFixture.Runs.Marker? _reference; }
    public sealed class MayUseTraining { private HerTools.Cli.Tests.ArchitectureFixture.Training.Marker? _reference; }
}

namespace HerTools.Cli.Tests.ArchitectureFixture.FrontEnd
{
    public sealed class UsesCheckpointReader { private HerTools.Core.Checkpoints.CheckpointReader? _reference; }
    public sealed class UsesCheckpointSummary { private HerTools.Core.Checkpoints.CheckpointSummary? _reference; }
    public sealed class UsesCheckpointStore { public object Reference() => HerTools.Core.Checkpoints.CheckpointStore.List("."); }
    public sealed class UsesCsvLog { private HerTools.Core.Metrics.CsvLog<HerTools.Core.Metrics.EvalRow>? _reference; }
    public sealed class UsesRunFiles { public string Reference() => HerTools.Core.Metrics.RunFiles.EvalPath("."); }
    public sealed class MayUseRunRecords { public object Reference() => HerTools.Core.Runs.RunRecords.Evaluations("."); }
    public sealed class MayUseCheckpointInfo { private HerTools.Core.Checkpoints.CheckpointInfo? _reference; }
    public sealed class MayUseTraining { private HerTools.Core.Training.TrainingResult? _reference; }
    public sealed class MayUseRuns { private HerTools.Core.Runs.RunFolder? _reference; }
}
