# Get-Help <cmdlet> -Full for every cmdlet: synopsis, description, every parameter described, and examples
# that run as written. The examples run in a folder holding one short run, runs/demo, as the help text says.

BeforeDiscovery {
    $source = Import-PowerShellDataFile (Join-Path $PSScriptRoot '../../module/help/HerTools.PowerShell.help.psd1')
    $cmdlets = @($source.Keys | Sort-Object | ForEach-Object { @{ Command = $_ } })
    $examples = foreach ($name in ($source.Keys | Sort-Object)) {
        for ($i = 0; $i -lt $source[$name].Examples.Count; $i++) {
            @{ Command = $name; Index = $i; Title = $source[$name].Examples[$i].Title }
        }
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
}

Describe 'Get-Help -Full' {
    It 'has help text for every cmdlet the module exports' {
        $documented = (Import-PowerShellDataFile (Join-Path $RepositoryRoot 'module/help/HerTools.PowerShell.help.psd1')).Keys | Sort-Object
        (Get-Command -Module HerTools -CommandType Cmdlet).Name | Sort-Object | Should -Be $documented
    }

    Context '<Command>' -ForEach $cmdlets {
        BeforeAll { $help = Get-Help $Command -Full }

        It 'has a synopsis and a description' {
            $help.Synopsis | Should -Not -BeNullOrEmpty
            $help.Synopsis | Should -Not -BeLike "$Command *[<CommonParameters>]*"   # what Get-Help shows when it finds no help file
            ($help.description.Text -join ' ') | Should -Not -BeNullOrEmpty
        }

        It 'describes every parameter' {
            $parameters = (Get-Command $Command).Parameters.Values |
                Where-Object { $_.Name -notin [System.Management.Automation.PSCmdlet]::CommonParameters -and $_.Name -notin [System.Management.Automation.PSCmdlet]::OptionalCommonParameters }
            foreach ($parameter in $parameters) {
                $described = $help.parameters.parameter | Where-Object name -eq $parameter.Name
                ($described.description.Text -join ' ') | Should -Not -BeNullOrEmpty -Because "-$($parameter.Name) needs a description"
            }
        }

        It 'has examples, each with a title and code' {
            @($help.examples.example).Count | Should -BeGreaterOrEqual 1
            foreach ($example in $help.examples.example) {
                $example.title | Should -Match 'Example \d+: \S'
                $example.code | Should -Not -BeNullOrEmpty
            }
        }
    }

    It 'is what scripts/build-help.ps1 writes from the help text and the cmdlets' {
        { & (Join-Path $RepositoryRoot 'scripts/build-help.ps1') -Check } | Should -Not -Throw
    }
}

Describe 'about_HerTools' {
    It 'is found by Get-Help and names every cmdlet' {
        $text = Get-Help about_HerTools | Out-String

        $text | Should -Match 'about_HerTools'
        foreach ($name in (Get-Command -Module HerTools -CommandType Cmdlet).Name) { $text | Should -Match $name }
    }

    It 'says how to start an environment of your own: the her-env template and the guide' {
        $text = Get-Help about_HerTools | Out-String
        $text | Should -Match 'dotnet new install HerTools\.Templates'
        $text | Should -Match 'dotnet new her-env'
        $text | Should -Match 'docs/your-own-environment\.md'
    }
}

Describe 'the help examples' {
    BeforeAll {
        $examplesFolder = Join-Path $TestDrive 'examples'
        New-Item -ItemType Directory -Path $examplesFolder | Out-Null
        $null = Start-HerTraining -Preset point_goal -TotalTimesteps 500 -OutputDirectory (Join-Path $examplesFolder 'runs/demo')
        # The plug-in examples load ./MyEnvs.dll, as a user's folder would hold it.
        $null = Copy-TestPlugin -Destination $examplesFolder
    }

    It '<Command> example <Index>, "<Title>", runs without error' -ForEach $examples {
        $code = @((Get-Help $Command -Full).examples.example)[$Index].code
        Push-Location $examplesFolder
        try {
            $ErrorActionPreference = 'Stop'
            $output = & ([scriptblock]::Create($code)) *>&1 | Out-String
        }
        finally { Pop-Location }

        $output | Should -Not -Match 'Exception|Error:'
    }
}
