# The packages a plug-in author gets: HerTools.Core (the engine, to build a plug-in against) and HerTools.Templates
# (`dotnet new her-env`). scripts/test.sh packs them once into ./artifacts and names the folder in
# HERTOOLS_LIBRARY_PACKAGES; run alone, this file packs its own copies from the Release build.
# docs/your-own-environment.md's C# section (YourOwnEnvironment.Tests.ps1) installs the template from these packages,
# offline, and builds, tests and trains what it makes.

BeforeAll {
    . (Join-Path $PSScriptRoot 'LibraryPackages.ps1')
    $script:Folder = Get-LibraryPackageFolder -Scratch (Join-Path $TestDrive 'packages')
    $script:Version = Get-HerToolsVersion
    Add-Type -AssemblyName System.IO.Compression.FileSystem
    function Get-PackagePath([string] $Id) { Join-Path $Folder "$Id.$Version.nupkg" }
    function Get-EntryName([string] $Package) {
        $zip = [System.IO.Compression.ZipFile]::OpenRead($Package)
        try { @($zip.Entries | ForEach-Object FullName) } finally { $zip.Dispose() }
    }
    function Read-TextEntry([string] $Package, [string] $Name) {
        $zip = [System.IO.Compression.ZipFile]::OpenRead($Package)
        try {
            $entry = $zip.GetEntry($Name)
            if (-not $entry) { throw "$Package has no $Name" }
            $reader = [System.IO.StreamReader]::new($entry.Open(), $true)
            try { $reader.ReadToEnd() } finally { $reader.Dispose() }
        }
        finally { $zip.Dispose() }
    }
    # The version Directory.Packages.props gives a package.
    $script:PackageVersions = @{}
    foreach ($item in ([xml](Get-Content -Raw (Join-Path $RepositoryRoot 'Directory.Packages.props'))).Project.ItemGroup.PackageVersion) {
        $PackageVersions[$item.Include] = $item.Version
    }
}

Describe 'the HerTools.Core package' {
    BeforeAll {
        $script:Package = Get-PackagePath 'HerTools.Core'
        $script:Spec = ([xml](Read-TextEntry $Package 'HerTools.Core.nuspec')).package.metadata
        $script:Dependencies = @{}
        foreach ($dependency in $Spec.dependencies.group.dependency) { $Dependencies[$dependency.id] = $dependency.version }
    }

    It 'holds the engine with its documentation and a readme' {
        $entries = Get-EntryName $Package
        $entries | Should -Contain 'lib/net10.0/HerTools.Core.dll'
        $entries | Should -Contain 'lib/net10.0/HerTools.Core.xml'
        $entries | Should -Contain 'README.md'
        $Spec.readme | Should -Be 'README.md'
        $Spec.version | Should -Be $Version
        $Spec.license.'#text' | Should -Be 'MIT'
        (Read-TextEntry $Package 'README.md') | Should -Match 'dotnet new her-env'
    }

    It 'depends on TorchSharp itself, not on a libtorch backend, and on the libraries at the repository''s versions' {
        $Dependencies.Keys | Sort-Object | Should -Be @('CsvHelper', 'HerTools.Policy', 'TorchSharp', 'YamlDotNet')
        $Dependencies['TorchSharp'] | Should -Be $PackageVersions['TorchSharp']
        $Dependencies['TorchSharp'] | Should -Be $PackageVersions['TorchSharp-cpu'] -Because 'the engine is built and tested with this libtorch backend'
        $Dependencies['YamlDotNet'] | Should -Be $PackageVersions['YamlDotNet']
        $Dependencies['CsvHelper'] | Should -Be $PackageVersions['CsvHelper']
        $Dependencies['HerTools.Policy'] | Should -Be $Version
        Test-Path (Get-PackagePath 'HerTools.Policy') | Should -BeTrue -Because 'the feed must hold the package the engine depends on'
    }
}

Describe 'the HerTools.Templates package' {
    BeforeAll {
        $script:Package = Get-PackagePath 'HerTools.Templates'
        $script:Spec = ([xml](Read-TextEntry $Package 'HerTools.Templates.nuspec')).package.metadata
        $script:Entries = Get-EntryName $Package
        $script:Template = Read-TextEntry $Package 'content/her-env/.template.config/template.json' | ConvertFrom-Json
    }

    It 'is a dotnet new template package with its readme' {
        $Spec.packageTypes.packageType.name | Should -Be 'Template'
        $Spec.readme | Should -Be 'README.md'
        @($Spec.dependencies.group.dependency) | Where-Object { $_ } | Should -BeNullOrEmpty
        @($Entries | Where-Object { $_ -match '^lib/' }) | Should -BeNullOrEmpty
    }

    It 'holds her-env: the plug-in, its tests, a solution and a config that trains it' {
        $Template.shortName | Should -Be 'her-env'
        $Template.sourceName | Should -Be 'MyEnvs'
        foreach ($file in 'MyEnvs/MyEnvs.csproj', 'MyEnvs/ReachEnv.cs', 'MyEnvs.Tests/MyEnvs.Tests.csproj', 'MyEnvs.Tests/ReachEnvTests.cs',
            'MyEnvs.slnx', 'train.yaml') {
            $Entries | Should -Contain "content/her-env/$file"
        }
        @($Entries | Where-Object { $_ -match '/(bin|obj)/' }) | Should -BeNullOrEmpty
    }

    It 'references HerTools.Core by the version packed with it, and the test packages the repository tests with' {
        $Template.symbols.HerToolsVersion.parameters.value | Should -Be $Version
        $Template.symbols.XunitVersion.parameters.value | Should -Be $PackageVersions['xunit']
        $Template.symbols.RunnerVersion.parameters.value | Should -Be $PackageVersions['xunit.runner.visualstudio']
        $Template.symbols.TestSdkVersion.parameters.value | Should -Be $PackageVersions['Microsoft.NET.Test.Sdk']
        (Read-TextEntry $Package 'content/her-env/MyEnvs/MyEnvs.csproj') | Should -Match 'Include="HerTools.Core" Version="HERTOOLS_CORE_VERSION"'
    }
}
