package io.rxon.orchestrator.db;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * The generated password of the embedded server, kept in a file of its own. It exists because the server
 * listens on TCP, where any local user could otherwise connect: {@code initdb} sets it for the superuser
 * from this file, the application role gets the same one, and later runs read it back. The file is written
 * before {@code initdb} runs, so a data directory never exists without its password.
 */
final class DatabasePassword {

    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final int LENGTH = 32;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9]{16,128}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private DatabasePassword() {
    }

    /**
     * Reads the password from {@code file}, generating and storing one (owner-only permissions) when the
     * data directory is not initialised yet.
     */
    static String loadOrCreate(Path file, boolean dataDirectoryInitialised) {
        try {
            if (Files.exists(file)) {
                return read(file);
            }
            if (dataDirectoryInitialised) {
                throw new EmbeddedDatabaseException("The embedded PostgreSQL data directory exists but its password"
                        + " file " + file + " is missing; restore the file, or delete the data directory to start"
                        + " with an empty database.");
            }
            return create(file);
        } catch (IOException e) {
            throw new EmbeddedDatabaseException("Cannot read or write the password file " + file, e);
        }
    }

    private static String read(Path file) throws IOException {
        String password = Files.readString(file).strip();
        if (!VALID.matcher(password).matches()) {
            throw new EmbeddedDatabaseException("The password file " + file
                    + " does not hold a password of 16 to 128 letters and digits");
        }
        return password;
    }

    private static String create(Path file) throws IOException {
        String password = generate();
        Files.createDirectories(file.getParent());
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            return read(file);
        }
        Files.writeString(file, password);
        return password;
    }

    private static String generate() {
        StringBuilder password = new StringBuilder(LENGTH);
        for (int i = 0; i < LENGTH; i++) {
            password.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return password.toString();
    }
}
