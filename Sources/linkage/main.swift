import Foundation
import LinkageCLI

exit(Linkage.main(arguments: Array(CommandLine.arguments.dropFirst())))
