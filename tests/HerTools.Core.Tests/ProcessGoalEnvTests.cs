using HerTools.Core.Config;
using HerTools.Core.Envs;
using HerTools.Core.Randomness;
using HerTools.Core.Training;

namespace HerTools.Core.Tests;

public sealed class ProcessGoalEnvTests : IDisposable
{
    private static readonly string PointGoalScript = Path.Combine(RepoPaths.Root, "adapters", "python", "point_goal_env.py");
    private static readonly string Adapter = Path.Combine(RepoPaths.Root, "adapters", "python");
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"hertools-process-{Guid.NewGuid():N}");

    public ProcessGoalEnvTests() => Directory.CreateDirectory(_root);

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public void PointGoal_in_python_through_the_adapter_trains_to_at_least_0_9_success()
    {
        var config = ConfigLoader.LoadPreset("point_goal",
            ["env.id=process", $"env.command=[python3, {PointGoalScript}]", "threads=1", "seed=0", "eval.eval_freq=1000"]);
        var result = HerTrainer.TrainHer(config, Path.Combine(_root, "run"));
        Assert.Equal(TrainingStatus.Completed, result.Status);
        Assert.True(result.FinalEvalSuccessRate >= 0.9, $"final evaluation success {result.FinalEvalSuccessRate}");
    }

    [Fact]
    public void Copies_in_processes_of_their_own_are_stepped_concurrently_each_as_it_would_be_alone()
    {
        using var first = ProcessGoalEnv.Start(["python3", PointGoalScript], null, TimeSpan.FromSeconds(30));
        using var second = ProcessGoalEnv.Start(["python3", PointGoalScript], null, TimeSpan.FromSeconds(30));
        using var alone = ProcessGoalEnv.Start(["python3", PointGoalScript], null, TimeSpan.FromSeconds(30));
        var vec = new VecGoalEnv([first, second]);
        Assert.True(vec.SteppedConcurrently);
        first.Reset(3);
        Assert.Equal(alone.Reset(4).Observation, second.Reset(4).Observation);
        var results = new StepResult[2];
        for (int t = 0; t < 40; t++)
        {
            float[] actions = [MathF.Sin(t), MathF.Cos(t * 0.7f)];
            vec.Step(2, actions, results);
            var expected = alone.Step([actions[1]]);
            Assert.Equal(expected.Observation.Observation, results[1].Observation.Observation);
            Assert.Equal(expected.Reward, results[1].Reward);
        }
    }

    [Fact]
    public void PointGoal_in_python_matches_the_built_in_in_distribution_under_a_random_policy()
    {
        const int episodes = 1000;
        using var python = ProcessGoalEnv.Start(["python3", PointGoalScript], null, TimeSpan.FromSeconds(30));
        Assert.Equal("PointGoal-v0", python.Id);
        Assert.Equal(50, python.MaxEpisodeSteps);
        Assert.IsAssignableFrom<ISavesState>(python);
        var (pythonMean, pythonVariance, pythonSuccess) = RandomPolicyReturns(python, episodes);
        var (builtInMean, builtInVariance, builtInSuccess) = RandomPolicyReturns(new PointGoalEnv(), episodes);

        // Independent samples of 1,000 episodes each: their means differ by less than 4 standard errors, unless the
        // dynamics differ. The returns of a random policy spread widely (about -50 to 0), so this is a real check.
        double standardError = Math.Sqrt(pythonVariance / episodes + builtInVariance / episodes);
        Assert.True(Math.Abs(pythonMean - builtInMean) < 4 * standardError,
            $"mean return {pythonMean:0.00} (python) vs {builtInMean:0.00} (built-in), standard error {standardError:0.00}");
        Assert.InRange(pythonVariance / builtInVariance, 0.8, 1.25);
        Assert.True(Math.Abs(pythonSuccess - builtInSuccess) < 4 * Math.Sqrt(0.25 * 2 / episodes), $"final success {pythonSuccess} vs {builtInSuccess}");
    }

    private static (double Mean, double Variance, double FinalSuccess) RandomPolicyReturns(IGoalEnv env, int episodes)
    {
        var rng = new Rng(12345);
        var returns = new double[episodes];
        int successes = 0;
        float[] action = new float[1];
        for (int e = 0; e < episodes; e++)
        {
            env.Reset((ulong)(1000 + e));
            while (true)
            {
                action[0] = (float)rng.Uniform(-1, 1);
                var step = env.Step(action);
                returns[e] += step.Reward;
                if (step.Terminated || step.Truncated)
                {
                    if (step.Info.IsSuccess) successes++;
                    break;
                }
            }
        }
        double mean = returns.Average();
        return (mean, returns.Sum(r => (r - mean) * (r - mean)) / (episodes - 1), successes / (double)episodes);
    }

    [Fact]
    public void Batched_rewards_come_in_one_message_and_agree_with_the_step_rewards()
    {
        using var python = ProcessGoalEnv.Start(["python3", PointGoalScript], new Dictionary<string, object?> { ["terminate_on_success"] = true },
            TimeSpan.FromSeconds(30));
        var report = EnvChecker.Check(python, episodes: 3, seed: 7);
        Assert.True(report.Passed, string.Join("\n", report.Violations));
        float[] achieved = [0f, 0.5f, -0.2f], desired = [0.04f, 0.9f, -0.2f];
        var rewards = new float[3];
        var terminated = new bool[3];
        python.ComputeReward(achieved, desired, [], rewards);
        python.ComputeTerminated(achieved, desired, [], terminated);
        Assert.Equal([0f, -1f, 0f], rewards);
        Assert.Equal([true, false, true], terminated);
    }

    [Fact]
    public void Terminated_flags_are_those_of_the_batch_asked_even_when_the_last_reward_batch_had_the_same_size()
    {
        using var python = ProcessGoalEnv.Start(["python3", PointGoalScript], new Dictionary<string, object?> { ["terminate_on_success"] = true },
            TimeSpan.FromSeconds(30));
        float[] achieved = [0f, 0.5f, -0.2f], desired = [0.04f, 0.9f, -0.2f], other = [0.5f, 0.5f, 0.9f];
        var rewards = new float[3];
        var terminated = new bool[3];
        python.ComputeReward(achieved, desired, [], rewards);
        python.ComputeTerminated(achieved, other, [], terminated); // not the batch whose flags came with the rewards
        Assert.Equal([false, true, false], terminated);
        python.ComputeReward(achieved, other, [], rewards);
        Assert.Equal([-1f, 0f, -1f], rewards);
        python.ComputeTerminated(achieved[..2], desired[..2], [], terminated.AsSpan(0, 2)); // fewer rows
        Assert.Equal([true, false], terminated[..2]);
    }

    [Theory]
    [InlineData("compute_reward", "reported an error in compute: ValueError: compute_reward returned 2 values for 3 rows")]
    [InlineData("compute_terminated", "reported an error in compute: ValueError: compute_terminated returned 2 values for 3 rows")]
    public void A_batched_answer_with_too_few_rows_is_an_error_naming_the_method(string method, string expected)
    {
        string script = Path.Combine(_root, "short.py");
        File.WriteAllText(script, $$"""
            import sys
            sys.path.insert(0, {{Quote(Adapter)}})
            import point_goal_env
            from hertools_env import serve

            class Short(point_goal_env.PointGoalEnv):
                def {{method}}(self, achieved_goal, desired_goal, info):
                    return list(super().{{method}}(achieved_goal, desired_goal, info))[:-1]

            serve(Short)
            """);
        using var env = ProcessGoalEnv.Start(["python3", script], null, TimeSpan.FromSeconds(30));
        var error = Assert.Throws<ProcessEnvException>(() => env.ComputeReward([0f, 0.5f, -0.2f], [0.04f, 0.9f, -0.2f], [], new float[3]));
        Assert.Contains(expected, error.Message);
    }

    // A child that misbehaves in step: it crashes, hangs, or writes text where frames belong.
    [Theory]
    [InlineData("crash", "ended during step (exit code 3)")]
    [InlineData("hang", "did not answer step within 1 s and was killed")]
    [InlineData("garbage", "wrote something that is not a protocol frame in reply to step")]
    [InlineData("error", "reported an error in step: RuntimeError: the wheels came off")]
    public void A_child_that_crashes_hangs_or_writes_garbage_is_reported_with_its_stderr_and_reaped(string fault, string expected)
    {
        string pidFile = Path.Combine(_root, fault + ".pid");
        string script = Path.Combine(_root, fault + ".py");
        File.WriteAllText(script, $$"""
            import os, sys, time
            sys.path.insert(0, {{Quote(Adapter)}})
            import point_goal_env
            from hertools_env import serve
            open({{Quote(pidFile)}}, "w").write(str(os.getpid()))

            class Faulty(point_goal_env.PointGoalEnv):
                def step(self, action):
                    print("about to fail: {{fault}}", file=sys.stderr, flush=True)
                    if "{{fault}}" == "crash": os._exit(3)
                    if "{{fault}}" == "hang": time.sleep(600)
                    if "{{fault}}" == "garbage": os.write(1, b"Hello from a print to stdout\n" * 4); time.sleep(600)
                    raise RuntimeError("the wheels came off")

            serve(Faulty)
            """);
        var env = ProcessGoalEnv.Start(["python3", script], null, TimeSpan.FromSeconds(1));
        env.Reset(1);
        var error = Assert.Throws<ProcessEnvException>(() => env.Step([0.5f]));
        Assert.Equal($"python3 {script}", error.Command);
        Assert.Contains($"environment process 'python3 {script}' ", error.Message);
        Assert.Contains(expected, error.Message);
        Assert.Contains($"about to fail: {fault}", error.LastStderrLines);
        Assert.Contains("its last stderr lines: ", error.Message);

        // Killed and reaped: no process, not even a zombie, is left.
        int pid = int.Parse(File.ReadAllText(pidFile), System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(Directory.Exists($"/proc/{pid}"), $"process {pid} is still there");
        Assert.Throws<ProcessEnvException>(() => env.Reset(2));
        env.Dispose();
    }

    [Fact]
    public void A_run_ends_its_environment_processes()
    {
        string pids = Path.Combine(_root, "pids");
        string script = Path.Combine(_root, "recorded.py");
        File.WriteAllText(script, $$"""
            import os, sys
            sys.path.insert(0, {{Quote(Adapter)}})
            import point_goal_env
            from hertools_env import serve
            open({{Quote(pids)}}, "a").write(str(os.getpid()) + "\n")
            serve(point_goal_env.PointGoalEnv)
            """);
        var config = ConfigLoader.LoadPreset("point_goal",
            ["env.id=process", $"env.command=[python3, {script}]", "total_timesteps=300", "eval.n_eval_episodes=2"]);
        HerTrainer.TrainHer(config, Path.Combine(_root, "run"));
        var started = File.ReadAllLines(pids);
        // The one that tells the episode length before the run folder is made (TrainingRequest refuses a config that
        // could not run), the training environment and the evaluation environment (one: GoalEnvFactory.EvaluationCopies).
        Assert.Equal(3, started.Length);
        Assert.All(started, pid => Assert.False(Directory.Exists($"/proc/{pid}"), $"process {pid} is still there"));
    }

    [Fact]
    public void A_run_whose_environment_process_crashes_stops_with_its_error_after_a_checkpoint_that_resumes()
    {
        string marker = Path.Combine(_root, "crash-now");
        File.WriteAllText(marker, "");
        string script = Path.Combine(_root, "crashing.py");
        // Its 130th step kills the process while the marker file is there.
        File.WriteAllText(script, $$"""
            import os, sys
            sys.path.insert(0, {{Quote(Adapter)}})
            import point_goal_env
            from hertools_env import serve
            class Crashing(point_goal_env.PointGoalEnv):
                steps = 0
                def step(self, action):
                    Crashing.steps += 1
                    if Crashing.steps == 130 and os.path.exists({{Quote(marker)}}):
                        print("about to crash", file=sys.stderr, flush=True)
                        os._exit(3)
                    return super().step(action)
            serve(Crashing)
            """);
        var config = ConfigLoader.LoadPreset("point_goal",
            ["env.id=process", $"env.command=[python3, {script}]", "total_timesteps=300", "eval.eval_freq=0", "eval.n_eval_episodes=2", "threads=1"]);
        string run = Path.Combine(_root, "run");

        var error = Assert.Throws<ProcessEnvException>(() => HerTrainer.TrainHer(config, run));
        string checkpoint = Path.Combine(run, "checkpoints", "step_129");
        Assert.Contains($"python3 {script}", error.Message);
        Assert.Contains("about to crash", error.LastStderrLines);
        Assert.Contains($"checkpoint {checkpoint} holds the run up to step 129 (a resume starts a fresh episode there)", error.Message);
        Assert.True(File.Exists(Path.Combine(checkpoint, "checkpoint.json")));

        File.Delete(marker);
        var messages = new List<TrainingProgress>();
        var resumed = HerTrainer.TrainHer(null, run, new SynchronousProgress<TrainingProgress>(messages.Add), resumeFrom: run);
        Assert.Equal(300, resumed.Timesteps);
        var said = Assert.Single(messages, m => m.Message?.Contains("the checkpoint holds no state of PointGoal-v0", StringComparison.Ordinal) == true);
        Assert.True(said.IsWarning);
    }

    [Fact]
    public void A_config_names_the_command_relative_to_its_file_and_needs_one()
    {
        File.Copy(PointGoalScript, Path.Combine(_root, "point_goal_env.py"));
        File.Copy(Path.Combine(Adapter, "hertools_env.py"), Path.Combine(_root, "hertools_env.py"));
        string path = Path.Combine(_root, "process.yaml");
        File.WriteAllText(path, "env:\n  id: process\n  command: [python3, point_goal_env.py]\n  terminate_on_success: true\n");
        var config = ConfigLoader.LoadFile(path);
        Assert.Equal(["python3", Path.Combine(_root, "point_goal_env.py")], config.Env.Command);
        Assert.Equal(true, config.Env.Options["terminate_on_success"]);
        Assert.Contains($"  command: [python3, {Path.Combine(_root, "point_goal_env.py")}]\n", config.ToYaml());

        File.WriteAllText(path, "env:\n  id: process\n");
        var missing = Assert.Throws<ConfigException>(() => ConfigLoader.LoadFile(path));
        Assert.Equal("env.command", missing.Key);
    }

    private static string Quote(string path) => "r\"" + path + "\"";
}
