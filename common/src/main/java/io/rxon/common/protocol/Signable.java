package io.rxon.common.protocol;

/**
 * A worker message that carries a {@link SecurityContext}. Signing computes the signature over
 * the message without {@code security} and then attaches it with {@link #withSecurity}.
 *
 * @param <T> the message type itself
 */
public interface Signable<T extends Signable<T>> {

    SecurityContext security();

    T withSecurity(SecurityContext security);
}
