//! Ceph RGW's S3 extension for an account's usage: `GET /?usage` gives the
//! quotas and totals, `HEAD /bucket?read-stats=true` a bucket's counts.
//!
//! The summary's fields sit in `<Summary>` directly, or in `<Summary><Stats>`
//! when the gateway runs with `rgw_rest_getusage_op_compat`. A quota of -1
//! means none; RGW's bucket limit also reads 0 as none.

use super::usage::Limits;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CephSummary {
    pub limits: Limits,
    pub total_bytes: u64,
    pub total_entries: u64,
    /// `CapacityUsed`: bytes per bucket (RGW gives no object count there).
    pub bucket_bytes: Vec<(String, u64)>,
}

/// Reads the answer to `GET /?usage`; `None` when it is not one (a storage
/// without the extension answers with its bucket list, or an error).
pub fn parse_summary(xml: &str) -> Option<CephSummary> {
    let doc = roxmltree::Document::parse(xml).ok()?;
    let root = doc.root_element();
    if root.tag_name().name() != "Usage" {
        return None;
    }
    let summary = child(root, "Summary")?;
    let field =
        |name: &str| summary.descendants().find(|n| n.tag_name().name() == name).and_then(|n| n.text()).map(str::trim);
    let count = |name: &str| field(name).and_then(|v| v.parse::<u64>().ok());
    let limit = |name: &str, zero_is_none: bool| {
        field(name)
            .and_then(|v| v.parse::<i64>().ok())
            .filter(|&v| v > 0 || (v == 0 && !zero_is_none))
            .map(|v| v as u64)
    };
    let bucket_bytes = child(root, "CapacityUsed")
        .into_iter()
        .flat_map(|c| c.descendants().filter(|n| n.tag_name().name() == "Entry"))
        .filter_map(|entry| {
            let name = child(entry, "Bucket")?.text()?.trim().to_owned();
            let bytes = child(entry, "Bytes")?.text()?.trim().parse().ok()?;
            Some((name, bytes))
        })
        .collect();
    Some(CephSummary {
        limits: Limits {
            max_bytes: limit("QuotaMaxBytes", false),
            max_objects: limit("QuotaMaxObjCount", false),
            max_buckets: limit("QuotaMaxBuckets", true),
        },
        total_bytes: count("TotalBytes")?,
        total_entries: count("TotalEntries")?,
        bucket_bytes,
    })
}

fn child<'a, 'input>(node: roxmltree::Node<'a, 'input>, name: &str) -> Option<roxmltree::Node<'a, 'input>> {
    node.children().find(|n| n.tag_name().name() == name)
}

/// A bucket's bytes and objects from the `X-RGW-Bytes-Used` and
/// `X-RGW-Object-Count` headers of `HEAD /bucket?read-stats=true`.
pub fn read_stats(headers: &reqwest::header::HeaderMap) -> Option<(u64, u64)> {
    let number = |name: &str| headers.get(name)?.to_str().ok()?.trim().parse::<u64>().ok();
    Some((number("x-rgw-bytes-used")?, number("x-rgw-object-count")?))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shape Ceph documents for `GET /?usage`, with usage logging off
    /// (`Entries` empty), a byte quota, no object quota and one bucket.
    const DOCUMENTED: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Usage xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Entries></Entries>
  <Summary>
    <QuotaMaxBytes>10737418240</QuotaMaxBytes>
    <QuotaMaxBuckets>1000</QuotaMaxBuckets>
    <QuotaMaxObjCount>-1</QuotaMaxObjCount>
    <QuotaMaxBytesPerBucket>-1</QuotaMaxBytesPerBucket>
    <QuotaMaxObjCountPerBucket>-1</QuotaMaxObjCountPerBucket>
    <TotalBytes>5242880</TotalBytes>
    <TotalBytesRounded>5246976</TotalBytesRounded>
    <TotalEntries>3</TotalEntries>
  </Summary>
  <CapacityUsed>
    <User>
      <Buckets>
        <Entry>
          <Bucket>photos</Bucket>
          <Bytes>5242880</Bytes>
          <Bytes_Rounded>5246976</Bytes_Rounded>
        </Entry>
      </Buckets>
    </User>
  </CapacityUsed>
</Usage>"#;

    #[test]
    fn reads_the_documented_summary_with_minus_one_as_no_limit() {
        let summary = parse_summary(DOCUMENTED).unwrap();
        assert_eq!(
            summary.limits,
            Limits { max_bytes: Some(10_737_418_240), max_objects: None, max_buckets: Some(1000) }
        );
        assert_eq!((summary.total_bytes, summary.total_entries), (5_242_880, 3));
        assert_eq!(summary.bucket_bytes, [("photos".to_owned(), 5_242_880)]);
    }

    #[test]
    fn reads_the_stats_wrapped_variant_with_usage_logging_on() {
        let xml = r#"<Usage>
  <Entries>
    <User><Owner>customer</Owner><Buckets>
      <Bucket><Bucket>photos</Bucket><Time>2026-11-30T10:00:00Z</Time><Epoch>1764496800</Epoch>
        <Categories><Entry><Category>put_obj</Category><BytesSent>0</BytesSent><BytesReceived>100</BytesReceived><Ops>1</Ops><SuccessfulOps>1</SuccessfulOps></Entry></Categories>
      </Bucket>
    </Buckets></User>
  </Entries>
  <Summary>
    <User><User>customer</User>
      <Categories><Entry><Category>put_obj</Category><BytesSent>0</BytesSent><BytesReceived>100</BytesReceived><Ops>1</Ops><SuccessfulOps>1</SuccessfulOps></Entry></Categories>
      <Total><BytesSent>0</BytesSent><BytesReceived>100</BytesReceived><Ops>1</Ops><SuccessfulOps>1</SuccessfulOps></Total>
    </User>
    <Stats>
      <QuotaMaxBytes>-1</QuotaMaxBytes>
      <QuotaMaxBuckets>0</QuotaMaxBuckets>
      <QuotaMaxObjCount>50000</QuotaMaxObjCount>
      <QuotaMaxBytesPerBucket>-1</QuotaMaxBytesPerBucket>
      <QuotaMaxObjCountPerBucket>-1</QuotaMaxObjCountPerBucket>
      <TotalBytes>100</TotalBytes>
      <TotalBytesRounded>4096</TotalBytesRounded>
      <TotalEntries>1</TotalEntries>
    </Stats>
  </Summary>
  <CapacityUsed><User><Buckets>
    <Entry><Bucket>photos</Bucket><Bytes>100</Bytes><Bytes_Rounded>4096</Bytes_Rounded></Entry>
    <Entry><Bucket>empty</Bucket><Bytes>0</Bytes><Bytes_Rounded>0</Bytes_Rounded></Entry>
  </Buckets></User></CapacityUsed>
</Usage>"#;
        let summary = parse_summary(xml).unwrap();
        assert_eq!(summary.limits, Limits { max_bytes: None, max_objects: Some(50_000), max_buckets: None });
        assert_eq!((summary.total_bytes, summary.total_entries), (100, 1), "the usage log's bytes are not storage");
        assert_eq!(summary.bucket_bytes, [("photos".to_owned(), 100), ("empty".to_owned(), 0)]);
    }

    #[test]
    fn anything_else_is_not_a_summary() {
        let bucket_list =
            r#"<ListAllMyBucketsResult><Buckets><Bucket><Name>a</Name></Bucket></Buckets></ListAllMyBucketsResult>"#;
        assert_eq!(parse_summary(bucket_list), None, "a storage that ignores ?usage");
        assert_eq!(parse_summary("<Error><Code>NotImplemented</Code></Error>"), None);
        assert_eq!(parse_summary("<Usage><Summary></Summary></Usage>"), None, "no totals");
        assert_eq!(parse_summary("not xml"), None);
    }

    #[test]
    fn read_stats_come_from_the_rgw_headers() {
        let mut headers = reqwest::header::HeaderMap::new();
        assert_eq!(read_stats(&headers), None);
        headers.insert("X-RGW-Bytes-Used", "2048".parse().unwrap());
        headers.insert("X-RGW-Object-Count", "7".parse().unwrap());
        assert_eq!(read_stats(&headers), Some((2048, 7)));
    }
}
