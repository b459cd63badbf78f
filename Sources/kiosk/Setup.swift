import ArgumentParser
import KioskContent

/// Loading what every command needs, stopping with every problem listed
/// (file:line:column) before anything is shown or written.
enum Setup {
    /// kiosk.conf alone, for the office commands that do not need content.
    static func config(_ options: ConfigOptions) throws -> KioskConfig {
        let result = ConfigParser.load(path: options.config)
        for diagnostic in result.diagnostics { Console.error(diagnostic.description) }
        guard let config = result.config else { throw ExitCode(1) }
        return config
    }

    /// kiosk.conf and the content, checked together as `kiosk lint` does.
    static func configAndContent(_ options: ConfigOptions) throws -> (KioskConfig, ContentLibrary) {
        try configAndContent(configPath: options.config)
    }

    static func configAndContent(configPath: String) throws -> (KioskConfig, ContentLibrary) {
        let result = Lint.check(configPath: configPath, checkPIN: false)
        for diagnostic in result.errors { Console.error(diagnostic.description) }
        guard result.isUsable, let config = result.config, let library = result.library else {
            Console.error("kiosk: fix the problems above (`kiosk lint` lists them all), then start again")
            throw ExitCode(1)
        }
        return (config, library)
    }
}
