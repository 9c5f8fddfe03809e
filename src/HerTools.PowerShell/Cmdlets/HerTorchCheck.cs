namespace HerTools.PowerShell.Cmdlets;

/// <summary>What <c>Test-HerTorch</c> computed, and with which TorchSharp and libtorch.</summary>
/// <param name="Product">The matrix product, as rows.</param>
/// <param name="LibTorchVersion">The libtorch version TorchSharp binds (torch.__version__).</param>
/// <param name="TorchSharpVersion">The TorchSharp assembly version.</param>
public sealed record HerTorchCheck(double[][] Product, string LibTorchVersion, string TorchSharpVersion);
