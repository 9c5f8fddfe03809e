namespace HerTools.Core.Envs;

/// <summary>
/// An environment whose observations and goals always lie inside its declared spaces (the built-in ones clip to
/// them). Loading a checkpoint then refuses saved values outside those spaces; for any other environment the space is
/// a claim the loop does not enforce while collecting, so a saved value only has to be finite.
/// </summary>
internal interface IKeepsWithinSpaces
{
}
