//! The compiled outputs of the fixture specs and of Telnyx's upstream spec, used: the
//! constructs the generator reads (path and query parameters, GET and DELETE, optional
//! bodies, success and error statuses, `oneOf`, merged `allOf`, maps, unknown formats)
//! behave as their specs say, on the wire against a local server and in decoding.

use serde_json::{Value, json};
use telnyx_messaging_tests::fault_server::{Fault, FaultServer, Request};

const KEY: &str = "KEY01SECREToutputsZZ9";
const ID: &str = "40385f64-5717-4562-b3fc-2c963f66afa6";

/// A server answering every request with `fault`, and the requests it saw.
async fn server(fault: Fault) -> FaultServer {
    FaultServer::start(move |_, _: &Request| fault.clone())
        .await
        .expect("server")
}

fn only_request(server: &FaultServer) -> Request {
    let received = server.received();
    assert_eq!(received.len(), 1, "{received:?}");
    received.into_iter().next().expect("one request")
}

mod upstream {
    use super::*;
    use output_upstream::{
        Client, CreateMessageRequest, Error, GetMessageResponseData, RetryPolicy,
    };

    fn client(base_url: &str) -> Client {
        Client::builder(KEY)
            .base_url(base_url)
            .retry_policy(RetryPolicy::none())
            .build()
            .expect("client")
    }

    #[tokio::test]
    async fn get_message_is_a_get_without_a_body_that_tells_inbound_from_outbound() {
        let server = server(Fault::json(
            200,
            &json!({"data": {"id": ID, "direction": "inbound", "text": "hi", "unknown": 1}}),
        ))
        .await;
        let answer = client(&server.base_url())
            .get_message(ID)
            .await
            .expect("decoded");
        let request = only_request(&server);
        assert_eq!(request.method, "GET");
        assert_eq!(request.path, format!("/messages/{ID}"));
        assert!(request.body.is_empty());
        assert_eq!(request.header("content-type"), None);
        match answer.data {
            Some(GetMessageResponseData::InboundMessagePayload(message)) => {
                assert_eq!(message.id.as_deref(), Some(ID));
            }
            other => panic!("{other:?}"),
        }
    }

    #[tokio::test]
    async fn a_message_of_a_direction_the_spec_does_not_list_is_kept() {
        let body = json!({"data": {"id": ID, "direction": "sideways"}});
        let server = server(Fault::json(200, &body)).await;
        let answer = client(&server.base_url())
            .get_message(ID)
            .await
            .expect("decoded");
        assert_eq!(
            answer.data,
            Some(GetMessageResponseData::Unknown(body["data"].clone()))
        );
    }

    #[tokio::test]
    async fn a_path_parameter_that_breaks_its_schema_is_refused_before_any_io() {
        let server = server(Fault::json(200, &json!({}))).await;
        for id in ["../short_code", "not-a-uuid", ""] {
            match client(&server.base_url()).cancel_message(id).await {
                Err(Error::Validation(e)) => {
                    assert_eq!(e.field, "id");
                    assert!(e.to_string().contains("uuid"), "{e}");
                }
                other => panic!("{id:?}: {other:?}"),
            }
        }
        assert_eq!(server.requests(), 0);
    }

    #[tokio::test]
    async fn cancel_is_a_delete_and_its_404_body_is_a_single_error() {
        let server = server(Fault::json(
            404,
            &json!({"code": "10005", "title": "Resource not found", "detail": "no message"}),
        ))
        .await;
        let error = client(&server.base_url())
            .cancel_message(ID)
            .await
            .expect_err("404");
        let request = only_request(&server);
        assert_eq!(request.method, "DELETE");
        assert_eq!(request.path, format!("/messages/{ID}"));
        match error {
            Error::Api(e) => {
                assert_eq!(e.status, 404);
                assert_eq!(e.errors.len(), 1);
                assert_eq!(e.errors[0].code, "10005");
                assert_eq!(e.body_excerpt, None);
                let detail: output_upstream::error::ErrorDetail = e.decode_body().expect("body");
                assert_eq!(detail.detail.as_deref(), Some("no message"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[tokio::test]
    async fn an_optional_body_is_sent_when_given_and_left_out_when_not() {
        let server = server(Fault::json(200, &json!({"data": {"id": ID}}))).await;
        let client = client(&server.base_url());
        let request = CreateMessageRequest::builder()
            .to("+18665550001")
            .text("Hello")
            .build();
        client.send_message(Some(&request)).await.expect("sent");
        client.send_message(None).await.expect("sent");
        let received = server.received();
        assert_eq!(
            received[0].json(),
            Some(json!({"to": "+18665550001", "text": "Hello"}))
        );
        assert_eq!(received[0].header("content-type"), Some("application/json"));
        assert!(received[1].body.is_empty());
        assert_eq!(received[1].header("content-type"), None);
    }
}

mod parameters {
    use super::*;
    use output_parameters::{
        Client, Error, ListFolderNotesOrder, ListFolderNotesParams, RetryPolicy,
    };

    fn client(base_url: &str) -> Client {
        Client::builder(KEY)
            .base_url(base_url)
            .retry_policy(RetryPolicy::none())
            .build()
            .expect("client")
    }

    #[tokio::test]
    async fn path_and_query_values_are_encoded_and_cannot_leave_their_place() {
        let server = server(Fault::json(200, &json!([{"id": "n1"}]))).await;
        let params = ListFolderNotesParams::builder()
            .folder("a/b ?#%é")
            .number(7)
            .order(ListFolderNotesOrder::Oldest)
            .page_size(50)
            .tag(["x", "y&z=1"])
            .fields(["id", "text"])
            .filter_text("a b")
            .build();
        let notes = client(&server.base_url())
            .list_folder_notes(&params)
            .await
            .expect("listed");
        assert_eq!(notes.len(), 1);
        let request = only_request(&server);
        assert_eq!(request.method, "GET");
        assert_eq!(
            request.path,
            "/folders/a%2Fb%20%3F%23%25%C3%A9/notes/7?page_size=50&tag=x&tag=y%26z%3D1&fields=id%2Ctext&order=oldest&filter%5Btext%5D=a+b"
        );
    }

    #[tokio::test]
    async fn a_path_value_that_would_address_another_path_is_refused() {
        // `..` (even as `%2E%2E`, which URL parsers resolve too) would climb out of the
        // folder: the request would reach another path with the key.
        let server = server(Fault::json(200, &json!([]))).await;
        for folder in ["..", "."] {
            let params = ListFolderNotesParams::builder()
                .folder(folder)
                .number(1)
                .order(ListFolderNotesOrder::Newest)
                .build();
            match client(&server.base_url()).list_folder_notes(&params).await {
                Err(Error::Validation(e)) => {
                    assert_eq!(e.field, "folder");
                    assert_eq!(e.rule, output_parameters::rules::Rule::PathSegment);
                }
                other => panic!("{folder:?}: {other:?}"),
            }
        }
        assert_eq!(server.requests(), 0);
    }

    #[tokio::test]
    async fn parameter_rules_are_checked_before_any_io() {
        let server = server(Fault::json(200, &json!([]))).await;
        let client = client(&server.base_url());
        let cases = [
            (
                ListFolderNotesParams::builder()
                    .folder("")
                    .number(1)
                    .order(ListFolderNotesOrder::Newest)
                    .build(),
                "folder",
            ),
            (
                ListFolderNotesParams::builder()
                    .folder("f")
                    .number(0)
                    .order(ListFolderNotesOrder::Newest)
                    .build(),
                "number",
            ),
            (
                ListFolderNotesParams::builder()
                    .folder("f")
                    .number(1)
                    .order(ListFolderNotesOrder::Newest)
                    .page_size(251)
                    .build(),
                "page_size",
            ),
            (
                ListFolderNotesParams::builder()
                    .folder("f")
                    .number(1)
                    .order(ListFolderNotesOrder::Newest)
                    .tag(["a", "b", "c", "d"])
                    .build(),
                "tag",
            ),
        ];
        for (params, field) in cases {
            match client.list_folder_notes(&params).await {
                Err(Error::Validation(e)) => assert_eq!(e.field, field),
                other => panic!("{field}: {other:?}"),
            }
        }
        assert_eq!(server.requests(), 0);
        // An enum value the spec does not list is sent when chosen on purpose: the API
        // (which may be newer than the crate) judges it.
        let params = ListFolderNotesParams::builder()
            .folder("f")
            .number(1)
            .order(ListFolderNotesOrder::from("newer"))
            .build();
        assert!(client.list_folder_notes(&params).await.is_ok());
        assert_eq!(server.requests(), 1);
    }

    #[tokio::test]
    async fn delete_answers_204_with_nothing_and_patch_may_have_no_body() {
        let server = FaultServer::start(|n, _: &Request| {
            if n == 0 {
                Fault::Respond {
                    status: 204,
                    headers: Vec::new(),
                    body: Vec::new(),
                }
            } else {
                Fault::json(200, &json!({"id": ID}))
            }
        })
        .await
        .expect("server");
        let client = client(&server.base_url());
        client.delete_note(ID).await.expect("deleted");
        let note = client.update_note(ID, None).await.expect("touched");
        assert_eq!(note.id, ID);
        let received = server.received();
        assert_eq!(received[0].method, "DELETE");
        assert_eq!(received[1].method, "PATCH");
        assert!(received[1].body.is_empty());
        assert_eq!(received[1].path, format!("/notes/{ID}"));
    }
}

mod statuses {
    use super::*;
    use output_statuses::{Client, CreateJobError409, Error, Job, RetryPolicy};

    fn client(base_url: &str) -> Client {
        Client::builder(KEY)
            .base_url(base_url)
            .retry_policy(RetryPolicy::none())
            .build()
            .expect("client")
    }

    #[tokio::test]
    async fn a_201_envelope_is_unwrapped() {
        let server = server(Fault::json(
            201,
            &json!({"data": {"name": "nightly", "id": "j1"}}),
        ))
        .await;
        let job = client(&server.base_url())
            .create_job(&Job::builder().name("nightly").build())
            .await
            .expect("created");
        assert_eq!(job.id.as_deref(), Some("j1"));
    }

    #[tokio::test]
    async fn a_success_status_without_a_body_is_none() {
        let server = FaultServer::start(|n, _: &Request| {
            if n == 0 {
                Fault::Respond {
                    status: 202,
                    headers: Vec::new(),
                    body: Vec::new(),
                }
            } else {
                Fault::json(200, &json!({"name": "done"}))
            }
        })
        .await
        .expect("server");
        let client = client(&server.base_url());
        assert_eq!(client.run_job("j1").await.expect("accepted"), None);
        let finished = client.run_job("j1").await.expect("finished");
        assert_eq!(finished.map(|job| job.name), Some("done".to_owned()));
    }

    #[tokio::test]
    async fn an_error_status_with_a_schema_of_its_own_is_decoded_on_request() {
        let server = server(Fault::json(409, &json!({"existing_id": "j0"}))).await;
        let error = client(&server.base_url())
            .create_job(&Job::builder().name("nightly").build())
            .await
            .expect_err("409");
        let Error::Api(e) = error else {
            panic!("{error:?}")
        };
        assert_eq!(e.status, 409);
        assert!(e.errors.is_empty());
        let body: CreateJobError409 = e.decode_body().expect("its own schema");
        assert_eq!(body.existing_id.as_deref(), Some("j0"));
    }
}

mod composition {
    use super::*;
    use output_composition::{Cat, Dog, Event, Labels, LabelsScore, Pet, rules::Validate};

    fn decode<T: serde::de::DeserializeOwned>(value: Value) -> T {
        serde_json::from_value(value).expect("decodes")
    }

    #[test]
    fn a_discriminator_picks_the_member_by_mapping_or_by_component_name() {
        let cat: Pet = decode(json!({"kind": "kitten", "name": "Tom", "claws": true}));
        assert!(matches!(&cat, Pet::Cat(c) if c.name == "Tom" && c.claws));
        let dog: Pet = decode(json!({"kind": "Dog", "name": "Rex", "tricks": ["sit"]}));
        assert!(
            matches!(&dog, Pet::Dog(d) if d.tricks.as_deref() == Some(&["sit".to_owned()][..]))
        );
        // A tag value the spec does not map, and a body without the tag, are kept.
        for unknown in [
            json!({"kind": "fish", "name": "Nemo"}),
            json!({"name": "?"}),
        ] {
            let pet: Pet = decode(unknown.clone());
            assert_eq!(pet, Pet::Unknown(unknown.clone()));
            assert_eq!(serde_json::to_value(&pet).expect("encodes"), unknown);
        }
    }

    #[test]
    fn all_of_members_merge_with_their_required_lists() {
        let cat = Cat::builder().kind("cat").name("Tom").claws(false).build();
        assert_eq!(
            serde_json::to_value(Pet::Cat(cat)).expect("encodes"),
            json!({"kind": "cat", "name": "Tom", "claws": false})
        );
        // `claws` is required by the merged `required` list: a cat without it does not decode.
        assert!(serde_json::from_value::<Cat>(json!({"kind": "cat", "name": "Tom"})).is_err());
        // The rules of a member (`minLength` of `name`) apply to the merged type.
        let error = Pet::Dog(Dog::builder().kind("Dog").name("").build())
            .validate()
            .expect_err("empty name");
        assert_eq!(error.field, "name");
    }

    #[test]
    fn members_that_fix_a_property_are_told_apart_by_it() {
        let deleted: Event = decode(json!({"type": "deleted", "id": "e1", "reason": "spam"}));
        assert!(matches!(&deleted, Event::Event2(e) if e.reason.as_deref() == Some("spam")));
        let created: Event = decode(json!({"type": "created", "id": "e2"}));
        assert!(matches!(created, Event::Event1(_)));
        let other = json!({"type": "archived"});
        assert_eq!(decode::<Event>(other.clone()), Event::Unknown(other));
    }

    #[test]
    fn untagged_members_are_tried_in_order_and_maps_keep_other_properties() {
        let labels: Labels = decode(json!({"owner": "me", "score": 3, "colour": "red"}));
        assert_eq!(labels.score, Some(LabelsScore::Integer(3)));
        assert_eq!(
            labels
                .additional_properties
                .get("colour")
                .map(String::as_str),
            Some("red")
        );
        let labels: Labels = decode(json!({"score": "high"}));
        assert_eq!(labels.score, Some(LabelsScore::String("high".to_owned())));
        // The map's values have rules too (`maxLength: 8`).
        let long = Labels::builder()
            .additional_properties(
                [("colour".to_owned(), "ultraviolet".to_owned())]
                    .into_iter()
                    .collect(),
            )
            .build();
        assert_eq!(
            long.validate().expect_err("too long").field,
            "additional_properties"
        );
        assert_eq!(
            serde_json::to_value(Labels::builder().owner("me").build()).expect("encodes"),
            json!({"owner": "me"})
        );
    }
}

mod recursion_and_member_rules {
    use super::*;
    use output_composition::{Branch, Labels, LabelsTags, Leaf, Node, Tree, rules::Validate};

    #[test]
    fn types_that_contain_themselves_decode_and_validate() {
        let node: Node = serde_json::from_value(json!({
            "name": "c",
            "parent": {"name": "b", "parent": {"name": "a"}},
            "children": [{"name": "d"}]
        }))
        .expect("decodes");
        let grandparent = node.parent.as_ref().and_then(|p| p.parent.as_ref());
        assert_eq!(grandparent.and_then(|g| g.name.as_deref()), Some("a"));
        // A rule deep inside a recursive request is still checked.
        let deep = Tree::Branch(Box::new(
            Branch::builder()
                .left(Tree::Branch(Box::new(
                    Branch::builder()
                        .right(Tree::Leaf(Leaf::builder().value("").build()))
                        .build(),
                )))
                .build(),
        ));
        assert_eq!(
            deep.validate().expect_err("empty leaf").field,
            "left.right.value"
        );
        let tree: Tree = serde_json::from_value(
            json!({"kind": "branch", "left": {"kind": "leaf", "value": "x"}}),
        )
        .expect("decodes");
        assert!(tree.validate().is_ok());
    }

    #[test]
    fn rules_inside_a_one_of_member_are_checked() {
        let tags = |tags| {
            Labels::builder()
                .tags(tags)
                .build()
                .validate()
                .map_err(|e| e.field)
        };
        assert_eq!(tags(LabelsTags::Integer(7)), Ok(()));
        assert_eq!(tags(LabelsTags::Array(vec!["abc".to_owned()])), Ok(()));
        assert_eq!(
            tags(LabelsTags::Array(vec!["ok".to_owned(), "long".to_owned()])),
            Err("tags[1]".to_owned())
        );
    }
}

mod debug_output {
    use super::*;
    use output_composition::{Event, Labels};

    #[test]
    fn unknown_shapes_and_sensitive_maps_stay_out_of_debug() {
        let unknown: Event = serde_json::from_value(
            json!({"type": "archived", "text": "secret 42", "to": "+13125550001"}),
        )
        .expect("decodes");
        let shown = format!("{unknown:?}");
        assert!(
            !shown.contains("secret 42") && !shown.contains("+1312"),
            "{shown}"
        );
        assert!(shown.contains("Unknown"), "{shown}");
        let labels: Labels = serde_json::from_value(json!({"owner": "me", "home": "+13125550001"}))
            .expect("decodes");
        let shown = format!("{labels:?}");
        assert!(!shown.contains("+1312"), "{shown}");
        assert!(
            shown.contains("<1 redacted>") && shown.contains("me"),
            "{shown}"
        );
    }
}

mod formats {
    use super::*;
    use output_formats::{Payment, rules::Validate};

    #[test]
    fn unknown_formats_are_plain_values_and_known_ones_are_checked() {
        let payment = Payment::builder()
            .link("not a url at all")
            .to("+1 (555) 0100")
            .amount("1.5e3")
            .currency("not-iso")
            .email("nobody")
            .big(-1)
            .money(0.5)
            .build();
        assert!(payment.validate().is_ok(), "{:?}", payment.validate());
        let error = Payment::builder()
            .id("not-a-uuid")
            .build()
            .validate()
            .expect_err("uuid");
        assert_eq!(error.field, "id");
        let payment: Payment =
            serde_json::from_value(json!({"amount": "12.50", "count": 3})).expect("decodes");
        assert_eq!(payment.amount.as_deref(), Some("12.50"));
    }
}

mod strings {
    use output_strings::{Note, rules::Validate};

    #[test]
    fn patterns_mean_what_they_mean_in_ecma_262() {
        let note = |blank: &str, glyph: &str| {
            Note::builder()
                .id("40385f64-5717-4562-b3fc-2c963f66afa6")
                .body("hi")
                .blank(blank)
                .glyph(glyph)
                .build()
                .validate()
                .map_err(|e| e.field)
        };
        // `\s` takes Unicode white space (no-break space, em space, line separator),
        // which regex-lite's own `\s` would refuse.
        assert_eq!(note("\u{A0}\u{2003}\u{2028}\t", "x"), Ok(()));
        assert_eq!(note("x", "x"), Err("blank".to_owned()));
        // `.` is no line terminator: neither `\r` nor U+2028, which regex-lite's `.`
        // would take.
        assert_eq!(note("", "é"), Ok(()));
        for glyph in ["\r", "\u{2028}", "\n"] {
            assert_eq!(note("", glyph), Err("glyph".to_owned()), "{glyph:?}");
        }
    }
}

/// Telnyx's spec in its OpenAPI 3.1 form, read through its 3.0 form: nullable types,
/// the top-level webhooks (decoded only through the webhook checks, or their named
/// unverified twin), and the same operations as the 3.0 file.
mod upstream31 {
    use output_upstream31::webhook::decode_unverified;
    use output_upstream31::{Client, OutboundMessageEvent};
    use serde_json::json;

    #[test]
    fn its_webhook_example_decodes_and_its_operations_exist() {
        let path = xtask::workspace_root().join(xtask::UPSTREAM_SPEC_31);
        let spec: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).expect("the 3.1 spec"))
                .expect("JSON");
        let example = spec["components"]["schemas"]["OutboundMessage"]["example"].clone();
        let body =
            json!({"data": example, "meta": {"attempt": 1, "delivered_to": "https://x.example/h"}});
        let event: OutboundMessageEvent =
            decode_unverified(&serde_json::to_vec(&body).expect("encodes")).expect("decodes");
        let data = event.data.as_ref().expect("data");
        // `type: [string, "null"]` fields read `null` as absent.
        let payload = data.payload.as_ref().expect("payload");
        assert_eq!(payload.completed_at, None);
        assert_eq!(event.meta.as_ref().and_then(|m| m.attempt), Some(1));
        // The alphanumeric sender endpoint, which only the 3.1 file has, is a method.
        let _ = Client::send_alphanumeric_sender_id_message;
    }
}
