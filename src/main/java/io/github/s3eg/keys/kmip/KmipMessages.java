package io.github.s3eg.keys.kmip;

import static io.github.s3eg.keys.ttlv.Ttlv.enumeration;
import static io.github.s3eg.keys.ttlv.Ttlv.integer;
import static io.github.s3eg.keys.ttlv.Ttlv.structure;

import io.github.s3eg.keys.ttlv.KmipEnums.Operation;
import io.github.s3eg.keys.ttlv.KmipEnums.ResultReason;
import io.github.s3eg.keys.ttlv.KmipEnums.ResultStatus;
import io.github.s3eg.keys.ttlv.Tags;
import io.github.s3eg.keys.ttlv.Ttlv;
import io.github.s3eg.keys.ttlv.Ttlv.EnumerationItem;
import io.github.s3eg.keys.ttlv.Ttlv.IntegerItem;
import io.github.s3eg.keys.ttlv.Ttlv.Structure;
import io.github.s3eg.keys.ttlv.Ttlv.TextStringItem;
import io.github.s3eg.keys.ttlv.TtlvException;
import java.util.List;

/**
 * The KMIP message envelope, identical in 1.x and 2.0 for what we send: a Request Message with a
 * header (protocol version, batch count 1) and one batch item (operation, payload); the Response
 * Message is checked to carry one batch item for the same operation, whose Result Status decides
 * between returning the payload and throwing {@link KmipException.OperationFailed}.
 */
final class KmipMessages {

  private KmipMessages() {}

  static Structure request(KmipVersion version, Operation operation, Structure payload) {
    return structure(
        Tags.REQUEST_MESSAGE,
        structure(Tags.REQUEST_HEADER, protocolVersion(version), integer(Tags.BATCH_COUNT, 1)),
        structure(
            Tags.BATCH_ITEM,
            enumeration(Tags.OPERATION, operation),
            structure(Tags.REQUEST_PAYLOAD, payload.children())));
  }

  static Structure protocolVersion(KmipVersion version) {
    return structure(
        Tags.PROTOCOL_VERSION,
        integer(Tags.PROTOCOL_VERSION_MAJOR, version.major()),
        integer(Tags.PROTOCOL_VERSION_MINOR, version.minor()));
  }

  static KmipVersion readProtocolVersion(Structure item) throws TtlvException {
    return new KmipVersion(
        item.require(Tags.PROTOCOL_VERSION_MAJOR, IntegerItem.class).value(),
        item.require(Tags.PROTOCOL_VERSION_MINOR, IntegerItem.class).value());
  }

  /**
   * The payload of a successful response to {@code operation} (empty if the server sent none).
   *
   * @throws KmipException.OperationFailed if the server reported failure
   * @throws KmipException.ProtocolError if {@code response} is not a matching response message
   */
  static Structure payload(Ttlv response, Operation operation)
      throws KmipException.OperationFailed, KmipException.ProtocolError {
    try {
      if (!(response instanceof Structure envelope)
          || !envelope.tag().equals(Tags.RESPONSE_MESSAGE)) {
        throw new KmipException.ProtocolError("not a KMIP response message", null);
      }
      Structure header = envelope.require(Tags.RESPONSE_HEADER, Structure.class);
      int batchCount = header.require(Tags.BATCH_COUNT, IntegerItem.class).value();
      List<Structure> items = envelope.all(Tags.BATCH_ITEM, Structure.class);
      if (batchCount != 1 || items.size() != 1) {
        throw new KmipException.ProtocolError(
            "expected exactly one batch item in the response", null);
      }
      Structure item = items.get(0);
      var answered = item.optional(Tags.OPERATION, EnumerationItem.class);
      if (answered.isPresent() && !answered.get().is(operation)) {
        throw new KmipException.ProtocolError(
            "response is for another operation than " + operation.jsonName(), null);
      }
      EnumerationItem status = item.require(Tags.RESULT_STATUS, EnumerationItem.class);
      if (!status.is(ResultStatus.SUCCESS)) {
        int reason =
            item.optional(Tags.RESULT_REASON, EnumerationItem.class)
                .map(EnumerationItem::value)
                .orElse(
                    status.is(ResultStatus.OPERATION_PENDING)
                        ? ResultReason.OPERATION_NOT_SUPPORTED.value()
                        : 0);
        String serverMessage =
            item.optional(Tags.RESULT_MESSAGE, TextStringItem.class)
                .map(TextStringItem::value)
                .orElse(null);
        throw new KmipException.OperationFailed(operation.jsonName(), reason, serverMessage);
      }
      return item.optional(Tags.RESPONSE_PAYLOAD, Structure.class)
          .orElseGet(() -> new Structure(Tags.RESPONSE_PAYLOAD, List.of()));
    } catch (TtlvException e) {
      throw new KmipException.ProtocolError("unexpected KMIP response: " + e.getMessage(), e);
    }
  }
}
