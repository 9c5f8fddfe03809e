# What ships with the engine: presets and registered environments. No training here.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
}

Describe 'Get-HerPreset' {
    It 'lists the shipped presets by name, typed' {
        $presets = Get-HerPreset

        $presets.Name | Should -Be @('bitflip', 'point_goal', 'point_goal_sac', 'point_goal_td3', 'push2d')
        $presets | ForEach-Object { $_ | Should -BeOfType ([HerTools.Core.Config.PresetInfo]) }
    }

    It 'returns the YAML of the repository''s configs/her/<Name>.yaml and its first comment as description' -ForEach @(
        @{ Name = 'point_goal' }
        @{ Name = 'bitflip' }
    ) {
        $preset = Get-HerPreset -Name $Name
        $file = Get-Content -Raw (Join-Path $RepositoryRoot "configs/her/$Name.yaml")

        $preset.Yaml.Replace("`r`n", "`n") | Should -Be $file.Replace("`r`n", "`n")
        "# $($preset.Description)" | Should -Be ($file -split "`n")[0].TrimEnd()
    }

    It 'matches wildcards and names from the pipeline: <Query>' -ForEach @(
        @{ Query = 'point*'; Expected = @('point_goal', 'point_goal_sac', 'point_goal_td3') }
        @{ Query = '*'; Expected = @('bitflip', 'point_goal', 'point_goal_sac', 'point_goal_td3', 'push2d') }
        @{ Query = 'BITFLIP'; Expected = @('bitflip') }
    ) {
        (Get-HerPreset $Query).Name | Should -Be $Expected
        ($Query | Get-HerPreset).Name | Should -Be $Expected
    }

    It 'writes a PresetNotFound error naming the shipped presets for an unknown name, and goes on' {
        $found = Get-HerPreset -Name 'nope', 'bitflip' -ErrorVariable problems -ErrorAction SilentlyContinue

        $found.Name | Should -Be 'bitflip'
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'PresetNotFound,HerTools.PowerShell.Cmdlets.GetHerPresetCommand'
        $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $problems[0].Exception.Message | Should -Be "No preset 'nope'. Shipped presets: bitflip, point_goal, point_goal_sac, point_goal_td3, push2d."
    }

    It 'completes -Name <Typed> to <Expected>' -ForEach @(
        @{ Typed = 'p'; Expected = @('point_goal', 'point_goal_sac', 'point_goal_td3', 'push2d') }
        @{ Typed = ''; Expected = @('bitflip', 'point_goal', 'point_goal_sac', 'point_goal_td3', 'push2d') }
    ) {
        $line = "Get-HerPreset -Name $Typed"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be $Expected
    }
}

Describe 'Get-HerEnvironment' {
    It 'lists the registered environments, typed, with their time limits' {
        $environments = Get-HerEnvironment

        $environments.Id | Should -Contain 'PointGoal-v0'
        $environments.Id | Should -Contain 'BitFlip-v0'
        $environments | ForEach-Object { $_ | Should -BeOfType ([HerTools.Core.Envs.EnvSpec]) }
        (Get-HerEnvironment PointGoal-v0).DefaultMaxEpisodeSteps | Should -Be 50
    }

    It 'describes BitFlip-v0''s n_bits option: an integer, 10 by default' {
        $option = (Get-HerEnvironment -Name BitFlip-v0).Options | Where-Object Name -eq 'n_bits'

        $option.Type | Should -Be ([HerTools.Core.Envs.EnvOptionType]::Int)
        $option.Default | Should -Be 10
        $option.Description | Should -Not -BeNullOrEmpty
    }

    It 'matches <Query> to <Expected>' -ForEach @(
        @{ Query = 'Bit*'; Expected = @('BitFlip-v0') }
        @{ Query = 'pointgoal-v0'; Expected = @('PointGoal-v0') }
    ) {
        (Get-HerEnvironment $Query).Id | Should -Be $Expected
    }

    It 'writes an EnvironmentNotFound error naming the registered ids for an unknown id' {
        $null = Get-HerEnvironment -Name 'FetchReach-v1' -ErrorVariable problems -ErrorAction SilentlyContinue

        $problems[0].FullyQualifiedErrorId | Should -Be 'EnvironmentNotFound,HerTools.PowerShell.Cmdlets.GetHerEnvironmentCommand'
        $problems[0].Exception.Message | Should -BeLike "No environment 'FetchReach-v1'. Registered: *BitFlip-v0*PointGoal-v0*"
    }

    It 'completes -Name <Typed> to <Expected>' -ForEach @(
        @{ Typed = 'Po'; Expected = @('PointGoal-v0') }
        @{ Typed = 'b'; Expected = @('BitFlip-v0') }
    ) {
        $line = "Get-HerEnvironment -Name $Typed"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be $Expected
    }
}

Describe 'declared output types' {
    It '<Command> declares <Type>' -ForEach @(
        @{ Command = 'Get-HerPreset'; Type = 'HerTools.Core.Config.PresetInfo' }
        @{ Command = 'Get-HerEnvironment'; Type = 'HerTools.Core.Envs.EnvSpec' }
        @{ Command = 'Import-HerMetric'; Type = 'HerTools.Core.Metrics.ProgressRow', 'HerTools.Core.Metrics.EvalRow' }
        @{ Command = 'Export-HerLearningCurve'; Type = 'System.IO.FileInfo' }
    ) {
        (Get-Command $Command).OutputType.Name | Should -Be $Type
    }
}

Describe 'default views' {
    It 'shows <Type> as a table by default' -ForEach @(
        @{ Type = 'HerTools.PowerShell.HerRun' }
        @{ Type = 'HerTools.PowerShell.HerEvaluation' }
        @{ Type = 'HerTools.Core.Checkpoints.CheckpointInfo' }
        @{ Type = 'HerTools.Core.Training.EpisodeRecord' }
        @{ Type = 'HerTools.Core.Envs.EnvSpec' }
        @{ Type = 'HerTools.Core.Envs.EnvOption' }
        @{ Type = 'HerTools.Core.Config.PresetInfo' }
        @{ Type = 'HerTools.Core.Metrics.ProgressRow' }
        @{ Type = 'HerTools.Core.Metrics.EvalRow' }
    ) {
        $views = Get-FormatData -TypeName $Type -PowerShellVersion $PSVersionTable.PSVersion

        $views | Should -Not -BeNullOrEmpty
        $views.FormatViewDefinition[0].Control | Should -BeOfType ([System.Management.Automation.TableControl])
    }

    It 'renders the presets as a table of name and description' {
        $text = Get-HerPreset | Out-String -Width 200

        $text | Should -Match '(?m)^Name\s+Description\s*$'
        $text | Should -Match '(?m)^point_goal\s+PointGoal-v0 with DDPG\+HER'
    }
}
