using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;

namespace HerTools.Core.Envs;

/// <summary>
/// A goal environment in another process, in any language (<c>env.id: process</c>, <c>env.command: [python3, my_env.py]</c>),
/// spoken to over its stdin and stdout in the binary protocol of docs/process-env-protocol.md: spaces and time limit once,
/// then reset, step, and one compute message per sampled batch (rewards and terminated flags together). An environment
/// process that can save its state gets a <see cref="ISavesState"/> object (see <see cref="Start"/>). Dispose it to end the process.
/// Each instance has a process and channel of its own, so <c>n_envs</c> copies are stepped concurrently (<see cref="IThreadSafeEnv"/>).
/// </summary>
public class ProcessGoalEnv : IGoalEnv, IComputesTerminated, IThreadSafeEnv, IDisposable
{
    /// <summary>The <c>env.id</c> that names an environment process.</summary>
    public const string EnvId = "process";

    private readonly ProcessEnvChannel _channel;
    private readonly int _observationSize, _goalSize, _actionSize;
    private readonly bool _computesTerminated;
    // The last compute batch: the buffer asks rewards and then terminated flags of the same rows, one message for both.
    // The arrays are reused (a batch a gradient step); _lastRows says how much of them is the last batch.
    private float[] _lastAchieved = [], _lastDesired = [];
    private bool[] _lastTerminated = [];
    private int _lastRows = -1;

    private protected ProcessGoalEnv(ProcessEnvChannel channel, string id, int maxEpisodeSteps, GoalObservationSpace space, Box action, bool computesTerminated)
    {
        _channel = channel;
        Id = id;
        MaxEpisodeSteps = maxEpisodeSteps;
        ObservationSpace = space;
        ActionSpace = action;
        _observationSize = space.Observation.Size;
        _goalSize = space.DesiredGoal.Size;
        _actionSize = action.Size;
        _computesTerminated = computesTerminated;
    }

    /// <summary>
    /// Starts <paramref name="command"/>, sends it <paramref name="options"/> (as text) and reads its spaces. The result
    /// implements <see cref="ISavesState"/> when the process says it can save its state.
    /// </summary>
    /// <param name="command">The program and its arguments, e.g. <c>["python3", "my_env.py"]</c>.</param>
    /// <param name="options">The environment's options (<c>env.k</c> keys), sent as text.</param>
    /// <param name="timeout">How long one answer may take before the process is taken for hung and killed.</param>
    /// <exception cref="ProcessEnvException">The process cannot be started, or fails, or breaks the protocol.</exception>
    public static ProcessGoalEnv Start(IReadOnlyList<string> command, IReadOnlyDictionary<string, object?>? options, TimeSpan timeout)
    {
        var channel = new ProcessEnvChannel(command, timeout);
        try
        {
            var hello = new MemoryStream();
            using (var w = new BinaryWriter(hello))
            {
                w.Write(ProcessEnvProtocol.Version);
                var given = options ?? new Dictionary<string, object?>();
                w.Write(given.Count);
                foreach (var (key, value) in given.OrderBy(o => o.Key, StringComparer.Ordinal))
                {
                    WriteString(w, key);
                    WriteString(w, value switch
                    {
                        null => "",
                        bool b => b ? "true" : "false",
                        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                        _ => value.ToString() ?? "",
                    });
                }
            }
            var body = channel.Request(ProcessEnvProtocol.Hello, hello.ToArray(), ProcessEnvProtocol.Spaces);
            var reader = new SpanReader(body, channel, ProcessEnvProtocol.Hello);
            uint version = reader.UInt32();
            if (version != ProcessEnvProtocol.Version)
                throw channel.Malformed(ProcessEnvProtocol.Hello, $"protocol version {version}; this HerTools speaks {ProcessEnvProtocol.Version}");
            string id = reader.String();
            int maxEpisodeSteps = (int)reader.UInt32();
            byte flags = reader.Byte();
            var space = new GoalObservationSpace(reader.Box(), reader.Box(), reader.Box());
            var action = reader.Box();
            if (maxEpisodeSteps < 1 || action.Size < 1 || space.AchievedGoal.Size != space.DesiredGoal.Size || space.DesiredGoal.Size < 1)
                throw channel.Malformed(ProcessEnvProtocol.Hello, $"unusable spaces (max_episode_steps {maxEpisodeSteps}, action size {action.Size}, " +
                    $"achieved goal size {space.AchievedGoal.Size}, desired goal size {space.DesiredGoal.Size})");
            bool computesTerminated = (flags & ProcessEnvProtocol.ComputesTerminatedFlag) != 0;
            return (flags & ProcessEnvProtocol.SavesStateFlag) != 0
                ? new StatefulProcessGoalEnv(channel, id, maxEpisodeSteps, space, action, computesTerminated)
                : new ProcessGoalEnv(channel, id, maxEpisodeSteps, space, action, computesTerminated);
        }
        catch
        {
            channel.Dispose();
            throw;
        }
    }

    /// <summary>The id the process gave itself, e.g. <c>PointGoal-v0</c>.</summary>
    public string Id { get; }
    public GoalObservationSpace ObservationSpace { get; }
    public Box ActionSpace { get; }
    public int MaxEpisodeSteps { get; }

    /// <summary>The command line, as errors name it.</summary>
    public string Command => _channel.Command;

    public GoalObservation Reset(ulong? seed = null)
    {
        var request = _channel.StartRequest(ProcessEnvProtocol.Reset, 9);
        request[0] = seed.HasValue ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt64LittleEndian(request[1..], seed ?? 0);
        var body = _channel.Send(ProcessEnvProtocol.Observation);
        if (body.Length != 4 * (_observationSize + 2 * _goalSize))
            throw _channel.Malformed(ProcessEnvProtocol.Reset, $"{body.Length} bytes; its spaces make an observation {4 * (_observationSize + 2 * _goalSize)}");
        return ReadObservation(body);
    }

    public StepResult Step(ReadOnlySpan<float> action)
    {
        if (action.Length != _actionSize) throw new ArgumentException($"{Id} takes {_actionSize} action values, got {action.Length}", nameof(action));
        var body = _channel.Request(ProcessEnvProtocol.Step, MemoryMarshal.AsBytes(action), ProcessEnvProtocol.StepResult);
        int observationBytes = 4 * (_observationSize + 2 * _goalSize);
        if (body.Length != observationBytes + 7)
            throw _channel.Malformed(ProcessEnvProtocol.Step, $"{body.Length} bytes; its spaces make a step result {observationBytes + 7}");
        var observation = ReadObservation(body);
        var tail = body[observationBytes..];
        float reward = BinaryPrimitives.ReadSingleLittleEndian(tail);
        return new StepResult(observation, reward, tail[4] != 0, tail[5] != 0, new StepInfo(tail[6] != 0));
    }

    public void ComputeReward(ReadOnlySpan<float> achievedGoals, ReadOnlySpan<float> desiredGoals, ReadOnlySpan<StepInfo> infos, Span<float> rewards)
    {
        int n = rewards.Length, values = n * _goalSize;
        var achieved = achievedGoals[..values];
        var desired = desiredGoals[..values];
        _lastRows = -1; // until the reply is in
        var request = _channel.StartRequest(ProcessEnvProtocol.Compute, 4 + 8 * values);
        BinaryPrimitives.WriteInt32LittleEndian(request, n);
        MemoryMarshal.AsBytes(achieved).CopyTo(request[4..]);
        MemoryMarshal.AsBytes(desired).CopyTo(request[(4 + 4 * values)..]);
        var body = _channel.Send(ProcessEnvProtocol.Computed);
        if (body.Length != 5 * n) throw _channel.Malformed(ProcessEnvProtocol.Compute, $"{body.Length} bytes for {n} rows; expected {5 * n}");
        MemoryMarshal.Cast<byte, float>(body[..(4 * n)]).CopyTo(rewards);
        if (_lastTerminated.Length < n) (_lastTerminated, _lastAchieved, _lastDesired) = (new bool[n], new float[values], new float[values]);
        for (int i = 0; i < n; i++) _lastTerminated[i] = body[4 * n + i] != 0;
        achieved.CopyTo(_lastAchieved);
        desired.CopyTo(_lastDesired);
        _lastRows = n;
    }

    public void ComputeTerminated(ReadOnlySpan<float> achievedGoals, ReadOnlySpan<float> desiredGoals, ReadOnlySpan<StepInfo> infos, Span<bool> terminated)
    {
        if (!_computesTerminated)
        {
            terminated.Clear(); // the process computes no termination: its episodes end by time limit only
            return;
        }
        int n = terminated.Length, values = n * _goalSize;
        bool same = _lastRows == n && achievedGoals[..values].SequenceEqual(_lastAchieved.AsSpan(0, values))
            && desiredGoals[..values].SequenceEqual(_lastDesired.AsSpan(0, values));
        if (!same)
        {
            Span<float> rewards = n <= 1024 ? stackalloc float[n] : new float[n];
            ComputeReward(achievedGoals, desiredGoals, infos, rewards);
        }
        _lastTerminated.AsSpan(0, n).CopyTo(terminated);
    }

    /// <summary>Asks the process to end, and kills it if it does not.</summary>
    public void Dispose()
    {
        _channel.Dispose();
        GC.SuppressFinalize(this);
    }

    private protected ProcessEnvChannel Channel => _channel;

    private GoalObservation ReadObservation(ReadOnlySpan<byte> body)
    {
        var floats = MemoryMarshal.Cast<byte, float>(body[..(4 * (_observationSize + 2 * _goalSize))]);
        return new GoalObservation(floats[.._observationSize].ToArray(), floats.Slice(_observationSize, _goalSize).ToArray(),
            floats.Slice(_observationSize + _goalSize, _goalSize).ToArray());
    }

    private static void WriteString(BinaryWriter w, string text)
    {
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(text);
        w.Write((uint)bytes.Length);
        w.Write(bytes);
    }

    /// <summary>Reads the body of a reply, failing as a protocol error when it is short.</summary>
    private ref struct SpanReader(ReadOnlySpan<byte> body, ProcessEnvChannel channel, byte request)
    {
        private ReadOnlySpan<byte> _rest = body;

        private ReadOnlySpan<byte> Take(int n)
        {
            if (_rest.Length < n) throw channel.Malformed(request, "a reply cut short");
            var taken = _rest[..n];
            _rest = _rest[n..];
            return taken;
        }

        public byte Byte() => Take(1)[0];
        public uint UInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));
        public string String() => System.Text.Encoding.UTF8.GetString(Take((int)Math.Min(UInt32(), int.MaxValue)));

        public Box Box()
        {
            int size = (int)UInt32();
            if (size > 1 << 20) throw channel.Malformed(request, $"a space of {size} values");
            float[] low = MemoryMarshal.Cast<byte, float>(Take(4 * size)).ToArray();
            float[] high = MemoryMarshal.Cast<byte, float>(Take(4 * size)).ToArray();
            return new Box(low, high);
        }
    }
}
