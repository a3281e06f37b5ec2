//! Making a PDF the same bytes every time: svg2pdf writes fonts and resource dictionaries in
//! hash-map order (which changes from run to run) and numbers objects as it goes. lopdf reads
//! the finished PDF; its objects are numbered in the order a walk from the trailer meets them
//! (dictionary entries in name order, arrays in order), every dictionary is written with its
//! entries in name order, and lopdf writes the objects in that order with a new
//! cross-reference table. The content of streams is left as it is.

use std::collections::{BTreeMap, HashMap, VecDeque};

use lopdf::{Dictionary, Document, Object, ObjectId};

/// The PDF with its objects numbered and laid out canonically; left as it is if lopdf cannot
/// read it.
#[must_use]
pub fn reproducible(pdf: Vec<u8>) -> Vec<u8> {
    canonical(&pdf).unwrap_or(pdf)
}

fn canonical(pdf: &[u8]) -> Option<Vec<u8>> {
    let doc = Document::load_mem(pdf).ok()?;
    // Number the objects breadth first from the trailer; what nothing reaches comes last, in
    // its old order.
    let mut new_id: HashMap<ObjectId, u32> = HashMap::new();
    let mut order: Vec<ObjectId> = Vec::new();
    let mut queue: VecDeque<ObjectId> = VecDeque::new();
    let mut meet = |id: ObjectId, queue: &mut VecDeque<ObjectId>| {
        if doc.objects.contains_key(&id) && !new_id.contains_key(&id) {
            new_id.insert(id, u32::try_from(order.len() + 1).unwrap_or(u32::MAX));
            order.push(id);
            queue.push_back(id);
        }
    };
    let mut found = Vec::new();
    refs(&Object::Dictionary(doc.trailer.clone()), &mut found);
    for id in found.drain(..) {
        meet(id, &mut queue);
    }
    while let Some(id) = queue.pop_front() {
        if let Some(o) = doc.objects.get(&id) {
            refs(o, &mut found);
        }
        for r in found.drain(..) {
            meet(r, &mut queue);
        }
    }
    for id in doc.objects.keys() {
        meet(*id, &mut queue);
    }
    let mut out = Document::with_version(doc.version.clone());
    out.binary_mark.clone_from(&doc.binary_mark);
    out.objects = order
        .iter()
        .filter_map(|old| {
            let o = doc.objects.get(old)?;
            Some(((*new_id.get(old)?, 0), renumbered(o, &new_id)))
        })
        .collect::<BTreeMap<_, _>>();
    out.max_id = u32::try_from(order.len()).ok()?;
    if let Object::Dictionary(mut t) = renumbered(&Object::Dictionary(doc.trailer), &new_id) {
        t.remove(b"Size");
        out.trailer = t;
    }
    let mut bytes = Vec::with_capacity(pdf.len());
    out.save_to(&mut bytes).ok()?;
    Some(bytes)
}

/// The references in an object, in order (dictionary entries by name).
fn refs(o: &Object, out: &mut Vec<ObjectId>) {
    match o {
        Object::Reference(id) => out.push(*id),
        Object::Array(a) => a.iter().for_each(|x| refs(x, out)),
        Object::Dictionary(d) => sorted(d).for_each(|(_, v)| refs(v, out)),
        Object::Stream(s) => sorted(&s.dict).for_each(|(_, v)| refs(v, out)),
        _ => {}
    }
}

/// A dictionary's entries in name order.
fn sorted(d: &Dictionary) -> impl Iterator<Item = (&Vec<u8>, &Object)> {
    let mut v: Vec<(&Vec<u8>, &Object)> = d.iter().collect();
    v.sort_by(|a, b| a.0.cmp(b.0));
    v.into_iter()
}

/// The object with its references renumbered and its dictionaries' entries in name order.
fn renumbered(o: &Object, new_id: &HashMap<ObjectId, u32>) -> Object {
    let dict = |d: &Dictionary| {
        let mut n = Dictionary::new();
        for (k, v) in sorted(d) {
            n.set(k.clone(), renumbered(v, new_id));
        }
        n
    };
    match o {
        Object::Reference(id) => Object::Reference(new_id.get(id).map_or(*id, |n| (*n, 0))),
        Object::Array(a) => Object::Array(a.iter().map(|x| renumbered(x, new_id)).collect()),
        Object::Dictionary(d) => Object::Dictionary(dict(d)),
        Object::Stream(s) => {
            let mut s = s.clone();
            s.dict = dict(&s.dict);
            Object::Stream(s)
        }
        other => other.clone(),
    }
}
