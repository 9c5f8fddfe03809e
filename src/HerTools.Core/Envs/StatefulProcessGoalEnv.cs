using System.Buffers.Binary;

namespace HerTools.Core.Envs;

/// <summary>An environment process that can save and restore its state (it said so in its spaces), so a resumed run
/// continues its episode exactly.</summary>
public sealed class StatefulProcessGoalEnv : ProcessGoalEnv, ISavesState
{
    internal StatefulProcessGoalEnv(ProcessEnvChannel channel, string id, int maxEpisodeSteps, GoalObservationSpace space, Box action, bool computesTerminated)
        : base(channel, id, maxEpisodeSteps, space, action, computesTerminated) { }

    public void WriteState(BinaryWriter writer)
    {
        var body = Channel.Request(ProcessEnvProtocol.GetState, [], ProcessEnvProtocol.State);
        if (body.Length < 4 || BinaryPrimitives.ReadUInt32LittleEndian(body) != body.Length - 4)
            throw Channel.Malformed(ProcessEnvProtocol.GetState, "a state whose length does not match its frame");
        writer.Write(body.Length - 4);
        writer.Write(body[4..]);
    }

    public void ReadState(BinaryReader reader)
    {
        byte[] state = reader.ReadBytes(reader.ReadInt32());
        var request = Channel.StartRequest(ProcessEnvProtocol.SetState, 4 + state.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(request, (uint)state.Length);
        state.CopyTo(request[4..]);
        Channel.Send(ProcessEnvProtocol.Ok);
    }
}
