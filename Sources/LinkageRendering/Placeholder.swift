import LinkageKit
