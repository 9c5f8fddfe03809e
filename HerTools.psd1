@{
    # The HerTools module. This manifest forwards to module/HerTools.psd1, which makes module/ the module's base
    # folder: Get-Help finds the cmdlet help and about_HerTools in module/en-US/ only there. The compiled cmdlets
    # live in module/bin/ (build output: run `dotnet build src/HerTools.PowerShell` or either README command
    # first), beside TorchSharp and its native files; module/ holds what ships beside the assembly (formats, help).
    RootModule           = 'module/HerTools.psd1'
    ModuleVersion        = '0.1.0'
    GUID                 = '5b0f7a52-6d0e-4c1e-9a43-3f3f6c2b8e71'
    Author               = 'HerTools'
    CompanyName          = 'HerTools'
    Copyright            = '(c) HerTools contributors'
    Description          = 'Goal-conditioned reinforcement learning with Hindsight Experience Replay (DDPG+HER on TorchSharp) from PowerShell.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    CmdletsToExport      = '*'
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags = @('ReinforcementLearning', 'HER', 'DDPG', 'TorchSharp')
        }
    }
}
